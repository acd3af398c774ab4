#!/usr/bin/env python3
"""A plain importer written with the official WorkOS Python SDK: the peer the benchmarks compare against.

It does what a careful script would: read the CSV, and for each row create the user and, when an
organization id is given, its membership, on a pool of threads (10 by default, as WorkOS's own migration
guidance suggests). The SDK's own retries (with its back-off on 429) are left on. It prints one JSON line:
rows, rows that failed, wall seconds, and the users created.

Usage: python_sdk_peer.py CSV BASE_URL API_KEY [ORG_ID] [THREADS]
Needs the `workos` package in the Python that runs it (run.sh installs it into a throwaway virtual environment).
"""
import csv
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from workos import WorkOSClient


def main() -> None:
    path, base_url, api_key = sys.argv[1:4]
    organization_id = sys.argv[4] if len(sys.argv) > 4 and sys.argv[4] else None
    threads = int(sys.argv[5]) if len(sys.argv) > 5 else 10
    client = WorkOSClient(api_key=api_key, client_id="client_benchmark", base_url=base_url)

    def import_row(row: dict) -> bool:
        try:
            user = client.user_management.create_user(
                email=row["email"],
                first_name=row.get("first_name") or None,
                last_name=row.get("last_name") or None,
            )
            if organization_id:
                client.organization_membership.create_organization_membership(
                    user_id=user.id, organization_id=organization_id
                )
            return True
        except Exception:  # a failed row is counted, as the importer counts its failed rows
            return False

    started = time.monotonic()
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = list(pool.map(import_row, rows))
    wall = time.monotonic() - started
    print(json.dumps({"rows": len(rows), "failed": results.count(False), "wall": round(wall, 3)}))


if __name__ == "__main__":
    main()
