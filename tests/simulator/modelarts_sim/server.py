"""The HTTP(S) server: a threaded server on loopback, and the handler that hands each request to the simulator."""

import json
import selectors
import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Server(ThreadingHTTPServer):
    """Threaded server; TLS handshakes happen in the worker thread so a silent client cannot block accept()."""

    daemon_threads = True
    # socketserver's default listen backlog (5) resets connections when tens of clients connect at once.
    request_queue_size = 128

    def __init__(self, address, simulator, ssl_context=None):
        self.simulator = simulator
        self.ssl_context = ssl_context
        self.connections = set()
        self.connections_lock = threading.Lock()
        self._wake_r, self._wake_w = socket.socketpair()
        self._stopping = threading.Event()
        self._stopped = threading.Event()
        super().__init__(address, Handler)

    def serve(self):
        """Accept connections until stop_serving().

        socketserver's serve_forever() notices a shutdown at its next poll only, so every stop took the whole
        poll interval (50 ms, for each test's simulator); a wake-up socket ends the wait at once.
        """
        try:
            with selectors.DefaultSelector() as selector:
                selector.register(self, selectors.EVENT_READ)
                selector.register(self._wake_r, selectors.EVENT_READ)
                while not self._stopping.is_set():
                    ready = selector.select()
                    if not self._stopping.is_set() and any(key.fileobj is self for key, dummy in ready):
                        self._handle_request_noblock()
        finally:
            self._stopped.set()

    def stop_serving(self):
        """Stop accepting connections; returns once serve() has ended."""
        self._stopping.set()
        self._wake_w.send(b"\0")
        self._stopped.wait()

    def server_close(self):
        super().server_close()
        self._wake_r.close()
        self._wake_w.close()

    def finish_request(self, request, client_address):
        conn = request
        try:
            if self.ssl_context is not None:
                conn = self.ssl_context.wrap_socket(request, server_side=True)
            with self.connections_lock:
                self.connections.add(conn)
            super().finish_request(conn, client_address)
        except (OSError, ssl.SSLError):
            pass  # the client went away or refused our certificate
        finally:
            with self.connections_lock:
                self.connections.discard(conn)
            if conn is not request:
                conn.close()

    def close_connections(self):
        with self.connections_lock:
            conns = list(self.connections)
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request, client_address):
        if self.simulator.verbose:
            super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    """Reads the request, hands it to the simulator, writes what it answers."""

    protocol_version = "HTTP/1.1"
    timeout = 60  # idle keep-alive connections end by themselves
    server_version = "ModelArtsSimulator/1.0"

    def _serve(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            raw_body = self._read_chunked()
        else:
            length = int(self.headers.get("Content-Length") or 0)
            raw_body = self.rfile.read(length) if length else b""
        if self.server.simulator.stopped:
            self.close_connection = True
            return
        self.server.simulator.handle(self, raw_body)

    def _read_chunked(self):
        chunks = []
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(chunks)
            chunks.append(self.rfile.read(size))
            self.rfile.readline()

    do_GET = do_PUT = do_POST = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

    def respond(self, status, payload, headers=None, raw=None):
        if raw is None:
            raw = b"" if status == 204 else json.dumps(payload).encode("utf-8")
        body = raw
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, str(value))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def drop(self):
        """Close the connection without any answer: the client sees a connection error."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        if self.server.simulator.verbose:
            super().log_message(format, *args)
