#!/usr/bin/env python3
"""List the longest Swift functions and initializers under the given folders, longest first.

A function's length is the number of lines from its declaration to its closing brace (braces inside
string literals and comments are not counted). The code keeps functions of Run/, Execute/ and Record/ to
about 60 lines; this is how that is measured.

Usage: scripts/function-lengths.py [--top N] Sources/ImportCore/Record [more folders...]
"""
import os
import re
import sys

DECLARATION = re.compile(
    r"\s*(?:@\w+\s+)*(?:(?:public|package|internal|private|fileprivate|static|final|override|mutating|"
    r"nonisolated|convenience|required)\s+)*(func\s+[^\s(<]+|init[?!]?)\s*[(<]"
)


def lengths(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    for start, line in enumerate(lines):
        match = DECLARATION.match(line)
        if not match:
            continue
        depth, opened, end = 0, False, start
        while end < len(lines):
            code = re.sub(r'"(?:\\.|[^"\\])*"', "", lines[end])
            code = re.sub(r"//.*", "", code)
            for char in code:
                if char == "{":
                    depth, opened = depth + 1, True
                elif char == "}":
                    depth -= 1
            if opened and depth <= 0:
                break
            end += 1
        if opened:
            yield end - start + 1, start + 1, match.group(1)


def main(arguments):
    top = 10
    if arguments[:1] == ["--top"]:
        top, arguments = int(arguments[1]), arguments[2:]
    found = []
    for folder in arguments:
        for directory, _, files in os.walk(folder):
            for name in sorted(files):
                if name.endswith(".swift"):
                    path = os.path.join(directory, name)
                    found += [(length, path, line, what) for length, line, what in lengths(path)]
    for length, path, line, what in sorted(found, reverse=True)[:top]:
        print(f"{length:4d}  {path}:{line}  {what}")


if __name__ == "__main__":
    main(sys.argv[1:])
