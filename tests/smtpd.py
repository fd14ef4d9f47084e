#!/usr/bin/python3
"""A loopback SMTP server (aiosmtpd) the C tests script with fault modes.

Started by the C tests through tests/smtpd.h, from the project root, or
by hand:

    /usr/bin/python3 tests/smtpd.py --port-file FILE --dir DIR [--log FILE]
        [--port N] [--mode MODE] [--control FILE] [--auth-file FILE]
        [--tls-cert PEM --tls-key PEM] [--discard]

It binds 127.0.0.1 on port N (default: a free one) and writes the port
number to the port file (atomically, once it is listening). SIGTERM makes
it exit with 0.

Each accepted message is saved as DIR/<n>, n = 1, 2, ... in the order
accepted: the bytes of its DATA as received, dot-stuffing undone, CRLF
line ends kept (written to a temporary name, then renamed). --discard
counts messages without saving them, for the benchmark.

The mode is the first line of the control file when it exists, else
--mode; the control file is read again at each connection and command,
so a test changes the server's behaviour between two passes. Counters
start again whenever the mode changes. Modes:

  normal            accept everything
  tempfail N        "451 4.3.0 try later" at the end of DATA for the first
                    N messages, then accept
  reject ADDR       "550 5.1.1 <ADDR>: no such user" at RCPT TO:<ADDR>,
                    every other recipient accepted
  drop-in-data      in the first DATA, answer 354, read the message's
                    first line, then close the connection; normal after
                    that
  421-greeting      greet every connection with "421 4.3.2 ..." and close
  stall             never greet; hold the connection until the client
                    leaves (for client timeouts)

It offers PIPELINING, as real servers do, and STARTTLS with --tls-cert
and --tls-key. With --auth-file (a file "user password", or user and
password on two lines) it offers AUTH PLAIN LOGIN, with or without TLS,
and refuses MAIL before a successful AUTH with "530 5.7.0 Authentication
required".

The log (--log) gets one line per event, written before the reply:

  SESSION<TAB>EVENT<TAB>DETAIL

with SESSION the connection's number (1, 2, ...) and EVENT one of
CONNECT, EHLO, HELO, STARTTLS (the protocol, e.g. TLSv1.2), AUTH
(mechanism, ok or failed; never the secret), MAIL, RCPT (address and
reply code), DATA (reply code, and the file it was saved as), RSET, QUIT,
CLOSE; "DATA<TAB>dropped" for drop-in-data and "CONNECT<TAB>421" /
"CONNECT<TAB>stall" for those modes.
"""
import argparse
import asyncio
import logging
import os
import signal
import ssl
import traceback
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword, TLSSetupException

HOSTNAME = "smtpd.tenderlots.test"


def read_credentials(path):
    with open(path) as f:
        lines = f.read().split("\n")
    first = lines[0].rstrip("\r")
    user, sep, password = first.partition(" ")
    if not sep:
        password = lines[1].rstrip("\r")
    return user, password.lstrip(" ")


class State:
    """What all connections share: mode, counters, the log, the files."""

    def __init__(self, args):
        self.args = args
        self.sessions = 0
        self.saved = 0
        self.line = None
        self.count = 0
        self.log_file = open(args.log, "a") if args.log else None
        self.credentials = (read_credentials(args.auth_file)
                            if args.auth_file else None)
        self.tls = None
        if args.tls_cert:
            self.tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            self.tls.load_cert_chain(args.tls_cert, args.tls_key)

    def mode(self):
        line = self.args.mode
        if self.args.control:
            try:
                with open(self.args.control) as f:
                    line = f.readline().strip()
            except FileNotFoundError:
                pass
        if line != self.line:
            self.line = line
            self.count = 0
        name, _, arg = line.partition(" ")
        return name, arg.strip()

    def log(self, session, event, detail=""):
        if self.log_file:
            self.log_file.write("%d\t%s\t%s\n" % (session, event, detail))
            self.log_file.flush()

    def save(self, content):
        self.saved += 1
        if self.args.discard:
            return "-"
        name = str(self.saved)
        path = os.path.join(self.args.dir, name)
        with open(path + ".tmp", "wb") as f:
            f.write(content)
        os.rename(path + ".tmp", path)
        return name


class Handler:
    def __init__(self, state):
        self.state = state

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.state.log(server.number, "EHLO", hostname)
        session.host_name = hostname
        # as Postfix does; aiosmtpd reads pipelined commands in order
        return responses[:-1] + ["250-PIPELINING"] + responses[-1:]

    async def handle_HELO(self, server, session, envelope, hostname):
        self.state.log(server.number, "HELO", hostname)
        session.host_name = hostname
        return "250 %s" % HOSTNAME

    def handle_STARTTLS(self, server, session, envelope):
        self.state.log(server.number, "STARTTLS",
                       session.ssl["ssl_object"].version())
        return True

    async def handle_MAIL(self, server, session, envelope, address, options):
        self.state.mode()
        # aiosmtpd gives the null reverse-path as "<>"
        self.state.log(server.number, "MAIL",
                       address if address == "<>" else "<%s>" % address)
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, options):
        name, arg = self.state.mode()
        if name == "reject" and address.lower() == arg.lower():
            self.state.log(server.number, "RCPT", "<%s>\t550" % address)
            return "550 5.1.1 <%s>: no such user" % address
        self.state.log(server.number, "RCPT", "<%s>\t250" % address)
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        name, arg = self.state.mode()
        if name == "tempfail" and self.state.count < int(arg):
            self.state.count += 1
            self.state.log(server.number, "DATA", "451")
            return "451 4.3.0 try later"
        saved = self.state.save(envelope.original_content)
        self.state.log(server.number, "DATA", "250\t%s" % saved)
        return "250 2.0.0 OK queued as %s" % saved

    async def handle_RSET(self, server, session, envelope):
        self.state.log(server.number, "RSET")
        return "250 OK"

    async def handle_QUIT(self, server, session, envelope):
        self.state.log(server.number, "QUIT")
        return "221 Bye"

    async def handle_exception(self, error):
        # A client refusing the certificate hangs up in the handshake:
        # what the TLS tests provoke. Anything else is a bug to show.
        if not isinstance(error, TLSSetupException):
            traceback.print_exception(error)
        return "421 4.7.0 %s" % error.__class__.__name__


class FaultySMTP(SMTP):
    """aiosmtpd's server with the fault modes and a connection number."""

    def __init__(self, state):
        self.state = state
        self.number = 0
        auth = {}
        if state.credentials:
            auth = dict(auth_required=True, auth_require_tls=False,
                        authenticator=self.authenticate)
        super().__init__(Handler(state), hostname=HOSTNAME,
                         tls_context=state.tls,
                         loop=asyncio.get_running_loop(), **auth)

    def connection_made(self, transport):
        if not self.number:
            self.state.sessions += 1
            self.number = self.state.sessions
        super().connection_made(transport)

    def connection_lost(self, error):
        self.state.log(self.number, "CLOSE")
        super().connection_lost(error)

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and
              (auth_data.login.decode(), auth_data.password.decode())
              == self.state.credentials)
        self.state.log(self.number, "AUTH",
                       "%s %s" % (mechanism, "ok" if ok else "failed"))
        # handled=False: aiosmtpd answers a failure with its own 535
        return AuthResult(success=ok, handled=False)

    async def _handle_client(self):
        name, _ = self.state.mode()
        if name == "421-greeting":
            self.state.log(self.number, "CONNECT", "421")
            await self.push("421 4.3.2 %s service not available, try later"
                            % HOSTNAME)
            self.transport.close()
            return
        if name == "stall":
            self.state.log(self.number, "CONNECT", "stall")
            while await self._reader.read(4096):
                pass
            return
        self.state.log(self.number, "CONNECT", "%s:%d" % self.session.peer)
        await super()._handle_client()

    async def smtp_DATA(self, arg):
        name, _ = self.state.mode()
        if (name == "drop-in-data" and self.state.count == 0 and
                self.envelope.rcpt_tos and not arg):
            self.state.count += 1
            self.state.log(self.number, "DATA", "dropped")
            await self.push("354 End data with <CR><LF>.<CR><LF>")
            await self._reader.readuntil(b"\r\n")
            self.transport.close()
            self._handler_coroutine.cancel()
            return
        await super().smtp_DATA(arg)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--log")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--mode", default="normal")
    parser.add_argument("--control")
    parser.add_argument("--auth-file")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--discard", action="store_true")
    args = parser.parse_args()

    # AUTH without TLS is what the tests want; aiosmtpd warns about it,
    # and about clients that hang up, which the tests make happen.
    warnings.simplefilter("ignore")
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    state = State(args)
    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(loop.create_server(
        lambda: FaultySMTP(state), "127.0.0.1", args.port))
    loop.add_signal_handler(signal.SIGTERM, loop.stop)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % server.sockets[0].getsockname()[1])
    os.rename(tmp, args.port_file)
    loop.run_forever()
    server.close()
    loop.run_until_complete(server.wait_closed())
    loop.close()


if __name__ == "__main__":
    main()
