#!/usr/bin/env python3
"""A real SMTP server for the messenger tests, built on aiosmtpd (Debian: python3-aiosmtpd).

Every accepted message is written to DIR/msg-NNNNNN.eml (the bytes received, un-dot-stuffed)
with DIR/msg-NNNNNN.json holding the envelope. DIR/stats.json is rewritten (atomically) on
every session start/end and message: connections, concurrent, max_concurrent, messages.
DIR/transactions.jsonl gets one line per answered or dropped transaction, in the order the server
saw them: {"conn": n, "rcpt": [...], "result": reply code or "dropped"/"lost_reply"}.
Prints "READY" once listening. Options switch on the behaviours a test needs."""
import argparse
import asyncio
import hmac
import json
import os
import secrets
import ssl
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword, MISSING

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, required=True)
ap.add_argument("--dir", required=True)
ap.add_argument("--auth", help="USER:PASS required before MAIL (PLAIN, LOGIN, CRAM-MD5)")
ap.add_argument("--cert")
ap.add_argument("--key")
ap.add_argument("--starttls", action="store_true", help="offer STARTTLS with --cert/--key")
ap.add_argument("--implicit-tls", action="store_true", help="TLS from the first byte")
ap.add_argument("--pipelining", action="store_true", help="advertise PIPELINING")
ap.add_argument("--tempfail", type=int, default=0, help="answer 451 to the first N messages")
ap.add_argument("--tempfail-every", type=int, default=0,
                help="answer 451 to every Nth new message (counted over all connections)")
ap.add_argument("--tempfail-repeat", type=int, default=1,
                help="with --tempfail-every: how many times a chosen message is refused before it is accepted")
ap.add_argument("--reject-prefix", default="", help="550 for recipients starting with this")
ap.add_argument("--data-delay", type=float, default=0.0, help="seconds to sleep before accepting")
ap.add_argument("--drop-every", type=int, default=0,
                help="at the Nth DATA of each connection, drop it unanswered and keep nothing")
ap.add_argument("--lose-reply-every", type=int, default=0,
                help="at the Nth DATA of each connection, keep the message and drop the connection "
                     "without answering: the relay accepted it, the client never learns so")
ap.add_argument("--hang-after-dot", type=int, default=0,
                help="at the Nth DATA of each connection, keep the message and never answer")
ap.add_argument("--drop-at-rcpt", type=int, default=0,
                help="at the Nth RCPT of each connection, drop it unanswered (before any DATA)")
opts = ap.parse_args()

stats = {"connections": 0, "concurrent": 0, "max_concurrent": 0, "messages": 0, "tempfailed": 0, "rejected": 0,
         "dropped": 0, "lost_replies": 0}


def write_stats():
    tmp = os.path.join(opts.dir, "stats.json.tmp")
    with open(tmp, "w") as f:
        json.dump(stats, f)
    os.replace(tmp, os.path.join(opts.dir, "stats.json"))


def log_transaction(server, rcpts, result):
    with open(os.path.join(opts.dir, "transactions.jsonl"), "a") as f:
        f.write(json.dumps({"conn": server.tidings_conn, "rcpt": list(rcpts), "result": result}) + "\n")


class CountingSMTP(SMTP):
    def connection_made(self, transport):
        stats["connections"] += 1
        self.tidings_conn = stats["connections"]
        stats["concurrent"] += 1
        stats["max_concurrent"] = max(stats["max_concurrent"], stats["concurrent"])
        write_stats()
        super().connection_made(transport)

    def connection_lost(self, error):
        stats["concurrent"] -= 1
        write_stats()
        super().connection_lost(error)


class Handler:
    def __init__(self):
        self.tempfail = opts.tempfail
        self.fresh = 0           # messages seen for the first time, for --tempfail-every
        self.refusals = {}       # recipients of a message chosen by --tempfail-every -> refusals left
        self.user, self.password = (opts.auth.split(":", 1) + [""])[:2] if opts.auth else ("", "")

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if opts.pipelining:
            responses.insert(1, "250-PIPELINING")
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        session.tidings_rcpt_seen = getattr(session, "tidings_rcpt_seen", 0) + 1
        if opts.drop_at_rcpt and session.tidings_rcpt_seen == opts.drop_at_rcpt:
            # The connection goes away before the message was sent: nothing can have been accepted.
            stats["dropped"] += 1
            write_stats()
            log_transaction(server, envelope.rcpt_tos + [address], "dropped")
            server.transport.abort()
            return "421 4.4.2 connection dropped"
        if opts.reject_prefix and address.startswith(opts.reject_prefix):
            stats["rejected"] += 1
            write_stats()
            log_transaction(server, [address], 550)
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if opts.data_delay:
            await asyncio.sleep(opts.data_delay)
        session.tidings_data_seen = getattr(session, "tidings_data_seen", 0) + 1
        if opts.drop_every and session.tidings_data_seen == opts.drop_every:
            # A relay that goes away mid-conversation: the client never learns the outcome.
            stats["dropped"] += 1
            write_stats()
            log_transaction(server, envelope.rcpt_tos, "dropped")
            server.transport.abort()
            return "421 4.4.2 connection dropped"
        if self.tempfail > 0 or self.tempfail_chosen(envelope):
            self.tempfail = max(self.tempfail - 1, 0)
            stats["tempfailed"] += 1
            write_stats()
            log_transaction(server, envelope.rcpt_tos, 451)
            return "451 4.3.0 temporary failure, try again later"
        self.store(server, session, envelope)
        if opts.lose_reply_every and session.tidings_data_seen == opts.lose_reply_every:
            # Accepted and kept, but the answer never leaves: the client cannot tell this from a
            # relay that dropped the message.
            stats["lost_replies"] += 1
            write_stats()
            log_transaction(server, envelope.rcpt_tos, "lost_reply")
            server.transport.abort()
            return "250 2.0.0 OK queued (never sent)"
        if opts.hang_after_dot and session.tidings_data_seen == opts.hang_after_dot:
            stats["lost_replies"] += 1
            write_stats()
            log_transaction(server, envelope.rcpt_tos, "lost_reply")
            await asyncio.sleep(3600)  # the client gives up first; closing the session cancels this
        log_transaction(server, envelope.rcpt_tos, 250)
        return "250 2.0.0 OK queued"

    def tempfail_chosen(self, envelope):
        if not opts.tempfail_every:
            return False
        key = tuple(envelope.rcpt_tos)
        if key not in self.refusals:
            self.fresh += 1
            self.refusals[key] = opts.tempfail_repeat if self.fresh % opts.tempfail_every == 0 else 0
        if self.refusals[key] > 0:
            self.refusals[key] -= 1
            return True
        return False

    def store(self, server, session, envelope):
        stats["messages"] += 1
        base = os.path.join(opts.dir, "msg-%06d" % stats["messages"])
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content)
        with open(base + ".json", "w") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                       "tls": server.transport.get_extra_info("ssl_object") is not None, "auth": session.authenticated}, f)
        write_stats()

    # aiosmtpd maps auth_CRAM__MD5 to the mechanism name CRAM-MD5.
    async def auth_CRAM__MD5(self, server, args):
        challenge = ("<%s.%d@tidings.test>" % (secrets.token_hex(8), int(time.time()))).encode()
        response = await server.challenge_auth(challenge)
        if response is MISSING:
            return AuthResult(success=False, handled=False)
        user, _, digest = response.partition(b" ")
        expected = hmac.new(self.password.encode(), challenge, "md5").hexdigest().encode()
        ok = user.decode() == self.user and hmac.compare_digest(digest, expected)
        return AuthResult(success=ok, handled=False, auth_data=user)


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and \
        auth_data.login.decode() == handler.user and auth_data.password.decode() == handler.password
    # handled=False: aiosmtpd then answers 535 itself (handled=True would leave the client waiting)
    return AuthResult(success=ok, handled=False)


class TestController(Controller):
    def factory(self):
        return CountingSMTP(self.handler, **self.SMTP_kwargs)


handler = Handler()
kwargs = {"hostname": "127.0.0.1", "port": opts.port, "decode_data": False}
if opts.auth:
    kwargs.update(auth_required=True, auth_require_tls=False, authenticator=authenticator)
if opts.cert:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(opts.cert, opts.key)
    if opts.starttls:
        kwargs["tls_context"] = ctx
    if opts.implicit_tls:
        kwargs["ssl_context"] = ctx
controller = TestController(handler, **kwargs)
controller.start()
# The controller's own readiness probe opened a session; tests count only theirs.
time.sleep(0.05)
stats.update(connections=0, concurrent=0, max_concurrent=0)
write_stats()
print("READY", flush=True)
try:
    sys.stdin.read()  # the test closes our stdin (or kills us) to stop the server
finally:
    controller.stop()
