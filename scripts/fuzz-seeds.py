#!/usr/bin/env python3
"""Writes the fuzz seed corpora (fuzz/corpus/<target>/, not committed) from the scenario corpus
and the API fixtures: whole files for the JSON targets (those under 64 KiB), their rules, address
groups, ports and addresses for the smaller ones. Run by scripts/fuzz.sh."""
import base64, hashlib, json, os, sys, zlib
from pathlib import Path

root = Path(__file__).resolve().parent.parent
out = root / "fuzz" / "corpus"
MAX = 64 * 1024

def put(target, data):
    if isinstance(data, str):
        data = data.encode()
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)

def walk(v, f):
    f(v)
    if isinstance(v, dict):
        for x in v.values():
            walk(x, f)
    elif isinstance(v, list):
        for x in v:
            walk(x, f)

files = sorted((root / "tests" / "scenarios").rglob("*.json")) + sorted((root / "tests" / "fixtures").rglob("*.json"))
for path in files:
    text = path.read_text()
    small = len(text.encode()) <= MAX
    if small:
        put("scenario", text)
    try:
        doc = json.loads(text)
    except ValueError:
        continue
    def each(v):
        if not isinstance(v, dict):
            return
        if "ip_set" in v:
            put("address_group", json.dumps(v))
            ips = v["ip_set"] if isinstance(v["ip_set"], list) else str(v["ip_set"]).split(",")
            for e in ips:
                put("address_entry", b"\x01" + str(e).encode())
                put("address_entry", b"\x00" + str(e).encode())
        if "direction" in v:
            put("rule", b"\x00\x00" + json.dumps(v).encode())
            if "multiport" in v and isinstance(v["multiport"], (str, int)):
                put("ports", str(v["multiport"]))
            if isinstance(v.get("remote_ip_prefix"), str):
                put("address_entry", b"\x00" + v["remote_ip_prefix"].encode())
        if small and "security_groups" in v and "instances" in v and "fixtures" not in path.parts:
            link = "1." + base64.urlsafe_b64encode(zlib.compress(json.dumps({"scenario": v}).encode(), 9)[2:-4]).decode().rstrip("=")
            put("share_link", link)
            put("share_link", "!" + json.dumps({"scenario": v}))
    walk(doc, each)

# API fixtures together, as one import of several inputs (NUL-separated).
fixtures = sorted((root / "tests" / "fixtures").rglob("*.json"))
put("scenario", "\0".join(p.read_text() for p in fixtures[:4]))
for p in ["22", "1-65535", "22,25-30,443", " 80 , 8080-8090 ", "65535", "0", "1-"]:
    put("ports", p)
for e in ["10.0.0.0/8", "fd00::/64", "192.0.2.1-192.0.2.9", "2001:db8::1-2001:db8::ff", "::ffff:1.2.3.4", "0.0.0.0/0"]:
    for sel in b"\x00\x01\x02":
        put("address_entry", bytes([sel]) + e.encode())
# Byte-driven targets start from a few fixed byte strings.
for i in range(8):
    put("sequence", bytes((i * 37 + k * 11) % 256 for k in range(40 + 8 * i)))
    put("matcher", bytes((i * 53 + k * 7) % 256 for k in range(60 + 10 * i)))
print("seeds:", {d.name: len(list(d.iterdir())) for d in sorted(out.iterdir())})
