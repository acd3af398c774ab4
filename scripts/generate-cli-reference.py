#!/usr/bin/env python3
"""Writes docs/cli-reference.md from the command's own argument parser, or checks that it is current.

    scripts/generate-cli-reference.py            # build the command if needed, then rewrite the reference
    scripts/generate-cli-reference.py --check    # exit 1 when the committed reference differs (.ci/run)
    scripts/generate-cli-reference.py --binary .build/release/workos-import

The reference is rendered from `workos-import --experimental-dump-help`, the JSON swift-argument-parser
produces from the same declarations `--help` prints, so a flag added, renamed or reworded in the code
changes the reference, and a reference edited by hand fails the check. Nothing here depends on the
terminal: the JSON carries no line wrapping.
"""

import argparse
import difflib
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REFERENCE = os.path.join(ROOT, "docs", "cli-reference.md")
DEFAULT_BINARY = os.path.join(ROOT, ".build", "debug", "workos-import")


def cell(text):
    """Text for one Markdown table cell: one line, pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def code(text):
    """Text as a code span in a table cell (inside one, only pipes need escaping)."""
    return "`%s`" % " ".join(text.split()).replace("|", "\\|")


def split_example(text):
    """The abstract without its trailing `Example: …`, and the example, which is shown as code."""
    marker = " Example: "
    if marker not in text:
        return text, None
    head, example = text.rsplit(marker, 1)
    return head, example.strip()


def option_names(argument):
    names = []
    for name in argument.get("names", []):
        prefix = "--" if name["kind"] in ("long", "longWithSingleDash") else "-"
        if name["kind"] == "longWithSingleDash":
            prefix = "-"
        names.append(prefix + name["name"])
    return names


def option_label(argument):
    value = "" if argument["kind"] == "flag" else " <%s>" % argument["valueName"]
    return ", ".join("`%s%s`" % (name, value) for name in option_names(argument))


def usage(path, command, is_default):
    words = ["workos-import"]
    if len(path) > 0:
        words.append("[%s]" % path[-1] if is_default else path[-1])
    for argument in command.get("arguments", []):
        if not argument.get("shouldDisplay", True) or argument["kind"] != "positional":
            continue
        word = "<%s>" % argument["valueName"]
        if argument.get("isRepeating"):
            word += " ..."
        words.append("[%s]" % word if argument.get("isOptional") else word)
    for argument in command.get("arguments", []):
        if argument["kind"] == "positional" or argument.get("isOptional", True):
            continue
        words.append("%s <%s>" % (option_names(argument)[0], argument["valueName"]))
    words.append("[options]")
    return " ".join(words)


def render_command(lines, path, command, is_default):
    title = " ".join(["workos-import"] + path)
    lines.append("## `%s`" % title)
    lines.append("")
    if command.get("abstract"):
        lines.append(command["abstract"])
        lines.append("")
    lines.append("```text")
    lines.append(usage(path, command, is_default))
    lines.append("```")
    lines.append("")
    if command.get("discussion"):
        lines.append("```text")
        lines.extend(line.rstrip() for line in command["discussion"].splitlines())
        lines.append("```")
        lines.append("")
    shown = [a for a in command.get("arguments", []) if a.get("shouldDisplay", True)]
    positionals = [a for a in shown if a["kind"] == "positional"]
    options = [a for a in shown if a["kind"] != "positional"]
    if positionals:
        lines.append("| argument | meaning |")
        lines.append("|---|---|")
        for argument in positionals:
            meaning, example = split_example(argument.get("abstract", ""))
            meaning = cell(meaning) + (" Example: " + code(example) if example else "")
            lines.append("| `<%s>` | %s |" % (argument["valueName"], meaning))
        lines.append("")
    if options:
        lines.append("| option | meaning | default |")
        lines.append("|---|---|---|")
        for argument in options:
            meaning, example = split_example(argument.get("abstract", ""))
            if argument.get("discussion"):
                meaning += " " + argument["discussion"]
            if argument.get("allValues"):
                meaning += " Values: %s." % ", ".join("`%s`" % v for v in argument["allValues"])
            if argument.get("isRepeating") and "repeat" not in meaning.lower():
                meaning += " Repeatable."
            meaning = cell(meaning)
            if example:
                meaning += " Example: " + code(example)
            default = argument.get("defaultValue")
            lines.append("| %s | %s | %s |" % (option_label(argument), meaning, code(default) if default else ""))
        lines.append("")


def render(dump):
    root = dump["command"]
    default = root.get("defaultSubcommand")
    lines = [
        "# Command-line reference",
        "",
        "<!-- Generated by scripts/generate-cli-reference.py from the argument parser; do not edit by hand. -->",
        "",
        root.get("abstract", ""),
        "",
        "`workos-import --help` prints the import's flags; `workos-import <command> --help` prints a command's.",
        "",
        "| command | what it does |",
        "|---|---|",
    ]
    commands = [c for c in root.get("subcommands", []) if c.get("shouldDisplay", True) and c["commandName"] != "help"]
    for command in commands:
        name = command["commandName"]
        note = ""
        if name == default and "default" not in command.get("abstract", ""):
            note = " (the default command)"
        anchor = "workos-import-" + name
        lines.append("| [`%s`](#%s) | %s%s |" % (name, anchor, cell(command.get("abstract", "")), note))
    lines.append("")

    def walk(path, command):
        render_command(lines, path, command, command["commandName"] == default and len(path) == 1)
        for child in command.get("subcommands", []):
            if child.get("shouldDisplay", True) and child["commandName"] != "help":
                walk(path + [child["commandName"]], child)

    for command in commands:
        walk([command["commandName"]], command)
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when docs/cli-reference.md is not current")
    parser.add_argument("--binary", help="a built workos-import (default: build the debug one)")
    arguments = parser.parse_args()

    binary = arguments.binary
    if binary is None:
        binary = DEFAULT_BINARY
        if not arguments.check:
            subprocess.run(["swift", "build", "--product", "workos-import"], cwd=ROOT, check=True)
    if not os.access(binary, os.X_OK):
        sys.exit("%s is not built: run swift build first, or name one with --binary." % binary)
    dumped = subprocess.run([binary, "--experimental-dump-help"], capture_output=True, text=True, check=True)
    text = render(json.loads(dumped.stdout))

    if arguments.check:
        current = open(REFERENCE, encoding="utf-8").read() if os.path.exists(REFERENCE) else ""
        if current != text:
            diff = difflib.unified_diff(
                current.splitlines(), text.splitlines(), "docs/cli-reference.md", "generated", lineterm="", n=1
            )
            print("\n".join(list(diff)[:60]), file=sys.stderr)
            sys.exit(
                "docs/cli-reference.md differs from what the command's parser generates: "
                "run scripts/generate-cli-reference.py and commit the result."
            )
        return
    with open(REFERENCE, "w", encoding="utf-8") as out:
        out.write(text)
    print("wrote %s" % os.path.relpath(REFERENCE, ROOT))


if __name__ == "__main__":
    main()
