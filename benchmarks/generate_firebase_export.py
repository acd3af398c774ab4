#!/usr/bin/env python3
"""Writes a synthetic `firebase auth:export --format=json` file of N users, for benchmarks/convert-speed.sh.

Every user has the fields the Firebase CLI writes (localId, email, emailVerified, passwordHash and salt in
URL-safe base64, displayName, createdAt, lastSignedInAt, providerUserInfo); one in ten carries custom
claims, one in fifty signs in with Google only, one in a hundred is disabled. Names and addresses are made
up from counters; nothing is real. Usage: generate_firebase_export.py N PATH [SEED]
"""
import base64
import json
import random
import sys

count = int(sys.argv[1])
path = sys.argv[2]
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
first = ["Ada", "José", "Zoë", "Grace", "Søren", "Chen", "Úna", "Amara", "Liam", "Mei"]
last = ["Lovelace", "Núñez", "Hopper", "Kierkegaard", "Wei", "Okafor", "Smith", "Ní Bhraonáin", "Tanaka"]
# A pool of random hashes and salts, reused, so generating a million users takes seconds.
hashes = [base64.urlsafe_b64encode(rng.randbytes(64)).decode() for _ in range(1024)]
salts = [base64.urlsafe_b64encode(rng.randbytes(12)).decode() for _ in range(1024)]

with open(path, "w", encoding="utf-8") as out:
    out.write('{\n  "users": [\n')
    for index in range(count):
        user = {
            "localId": "uid%020d" % index,
            "email": "user%d@example.com" % index,
            "emailVerified": index % 3 != 0,
            "displayName": "%s %s" % (first[index % len(first)], last[index % len(last)]),
            "createdAt": str(1600000000000 + index),
            "lastSignedInAt": str(1700000000000 + index),
        }
        if index % 50 == 7:
            user["providerUserInfo"] = [{"providerId": "google.com", "rawId": str(index), "email": user["email"]}]
        else:
            user["passwordHash"] = hashes[index % 1024]
            user["salt"] = salts[(index * 7) % 1024]
            user["providerUserInfo"] = [{"providerId": "password", "rawId": user["email"], "email": user["email"]}]
        if index % 10 == 3:
            user["customAttributes"] = json.dumps({"plan": "pro", "tenant": "t%d" % (index % 97)})
        if index % 100 == 42:
            user["disabled"] = True
        out.write("    " + json.dumps(user, ensure_ascii=False))
        out.write(",\n" if index + 1 < count else "\n")
    out.write("  ]\n}\n")
