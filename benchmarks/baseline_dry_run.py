#!/usr/bin/env python3
"""Baseline for the dry-run speed goal: the importer's row checks done with Python's csv and json modules.

Usage: baseline_dry_run.py FILE

Reads FILE as the importer does (UTF-8 with or without a BOM, header names trimmed and matched in any
case) and applies the same row rules: email plausible, email_verified, metadata a flat JSON object within
the limits, password hash pair and hash forms, external_id. Prints counts and rows per second, so
benchmarks/dry-run-speed.sh can compare it with `workos-import --dry-run` on the same file.
"""

import csv
import json
import re
import sys
import time

KNOWN = {"email", "first_name", "last_name", "password", "password_hash", "password_hash_type",
         "email_verified", "external_id", "metadata"}
HASH_TYPES = {"bcrypt", "firebase-scrypt", "ssha", "ssha256", "scrypt", "pbkdf2", "argon2"}
BOOLS = {"true", "false", "yes", "no", "1", "0"}
BCRYPT = re.compile(r"\$2[abxy]\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53}")
ARGON2 = re.compile(r"\$argon2(id|i|d)\$(v=[0-9]+\$)?m=[0-9]+,t=[0-9]+,p=[0-9]+\$[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]+={0,2}")
B64 = r"[A-Za-z0-9+/_-]+={0,2}"
FIREBASE = re.compile(r"\$firebase-scrypt\$hash=" + B64 + r"\$salt=" + B64 + r"\$sk=" + B64 + r"\$ss=" + B64
                      + r"\$r=[0-9]+\$m=[0-9]+")
TOKEN = re.compile(r"[\x21-\x7e]+")
HASH_FORMS = {"bcrypt": BCRYPT, "argon2": ARGON2, "firebase-scrypt": FIREBASE}
SPACE = " \t\r\n"


class DuplicateKey(Exception):
    pass


def no_duplicates(pairs):
    result = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKey(key)
        result[key] = value
    return result


def email_problem(email):
    if not email:
        return "email is missing"
    if len(email.encode("utf-8")) > 320 or email.count("@") != 1:
        return "invalid"
    if any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F for c in email):
        return "invalid"
    local, domain = email.split("@")
    if not local or "." not in domain or domain.startswith(".") or domain.endswith(".") or ".." in domain:
        return "invalid"
    return None


def check_metadata(text, problems, warnings):
    try:
        value = json.loads(text, object_pairs_hook=no_duplicates)
    except (ValueError, DuplicateKey):
        problems.append("metadata is invalid JSON")
        return
    if not isinstance(value, dict):
        problems.append("metadata must be a JSON object")
        return
    if len(value) > 50:
        problems.append("too many keys")
    elif len(value) > 10:
        warnings.append("many keys")
    coerced = False
    for key, item in value.items():
        if not key:
            problems.append("empty key")
        if isinstance(item, (dict, list)):
            problems.append("nested value")
            continue
        if isinstance(item, (bool, int, float)):
            coerced = True
            item = json.dumps(item)
        if item is not None and (len(key) > 40 or len(item) > 600):
            problems.append("too long")
    if coerced:
        warnings.append("coerced")


def check_row(row, at, warnings):
    problems = []
    email = row[at["email"]].strip(SPACE)
    reason = email_problem(email)
    if reason:
        problems.append(reason)
    if "email_verified" in at:
        verified = row[at["email_verified"]].strip(SPACE)
        if verified and verified.lower() not in BOOLS:
            problems.append("email_verified")
    hash_value = row[at["password_hash"]].strip(SPACE) if "password_hash" in at else ""
    hash_type = row[at["password_hash_type"]].strip(SPACE).lower() if "password_hash_type" in at else ""
    if bool(hash_value) != bool(hash_type):
        problems.append("hash pair")
    elif hash_value:
        if hash_type not in HASH_TYPES:
            problems.append("hash type")
        elif not HASH_FORMS.get(hash_type, TOKEN).fullmatch(hash_value):
            problems.append("hash form")
        if "password" in at and row[at["password"]]:
            warnings.append("password ignored")
    if "external_id" in at:
        external_id = row[at["external_id"]].strip(SPACE)
        if external_id and (not external_id.isascii() or len(external_id) > 128):
            problems.append("external_id")
    if "metadata" in at:
        text = row[at["metadata"]].strip(SPACE)
        if text:
            check_metadata(text, problems, warnings)
    return problems


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: baseline_dry_run.py FILE")
    started = time.perf_counter()
    valid = invalid = malformed = warning_count = 0
    with open(sys.argv[1], newline="", encoding="utf-8-sig", errors="surrogateescape") as handle:
        reader = csv.reader(handle, strict=True)
        header = [name.strip(SPACE).lower() for name in next(reader)]
        at = {name: index for index, name in enumerate(header) if name in KNOWN}
        width = len(header)
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error:
                malformed += 1
                continue
            if not row or (len(row) == 1 and not row[0].strip(" \t")):
                continue
            joined = "".join(row)
            if len(row) != width or "\0" in joined:
                malformed += 1
                continue
            try:
                joined.encode("utf-8")
            except UnicodeEncodeError:
                malformed += 1
                continue
            warnings = []
            if check_row(row, at, warnings):
                invalid += 1
            else:
                valid += 1
            warning_count += len(warnings)
    elapsed = time.perf_counter() - started
    total = valid + invalid + malformed
    print(f"rows={total} valid={valid} invalid={invalid} malformed={malformed} warnings={warning_count} "
          f"seconds={elapsed:.3f} rows_per_second={total / elapsed:.0f}")


if __name__ == "__main__":
    main()
