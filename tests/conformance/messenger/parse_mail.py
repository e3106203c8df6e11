#!/usr/bin/env python3
"""Parses a received message with Python's email package (an independent MIME implementation)
and prints JSON: the decoded headers, and every leaf part with its content type, charset,
filename and payload (decoded bytes, base64 so binary survives the trip)."""
import base64
import email
import email.policy
import json
import sys

with open(sys.argv[1], "rb") as f:
    msg = email.message_from_binary_file(f, policy=email.policy.default)

out = {
    "headers": {k.lower(): str(v) for k, v in msg.items()},
    "defects": [str(d) for d in msg.defects],
    "content_type": msg.get_content_type(),
    "parts": [],
}
for part in msg.walk():
    if part.is_multipart():
        out["defects"] += [str(d) for d in part.defects]
        continue
    payload = part.get_payload(decode=True) or b""
    out["parts"].append({
        "content_type": part.get_content_type(),
        "charset": part.get_content_charset() or "",
        "filename": part.get_filename() or "",
        "disposition": part.get_content_disposition() or "",
        "cte": str(part.get("Content-Transfer-Encoding", "")),
        "payload_b64": base64.b64encode(payload).decode(),
        "defects": [str(d) for d in part.defects],
    })
json.dump(out, sys.stdout)
