"""Serve any pyserial link (a fault:// or sim:// board) the ways real boards
are reached: on a pseudo-terminal (a USB serial device, as the OS shows it),
and through pyserial's own RFC 2217 server (a board on another machine).
"""

import os
import select
import socket
import threading
import tty

import serial
import serial.rfc2217


class PtyBridge:
    """The link's board behind a pty. When the link fails (the board
    vanished), the pty's controller side closes: what an unplugged USB
    board looks like to the host (reads fail with EIO)."""

    def __init__(self, link):
        self.link = link
        self.link.timeout = 0.05
        self.controller, self.device = os.openpty()
        tty.setraw(self.device)
        self.path = os.ttyname(self.device)
        self.running = True
        self._wake_r, self._wake_w = os.pipe()
        self.threads = [threading.Thread(target=self._to_board, daemon=True),
                        threading.Thread(target=self._to_host, daemon=True)]
        for thread in self.threads:
            thread.start()

    def _to_board(self):
        while self.running:
            try:
                ready, _, _ = select.select([self.controller, self._wake_r], [], [])
            except (OSError, ValueError):
                return  # unplugged by the other thread meanwhile: the controller is closed
            if self._wake_r in ready or not self.running:
                return
            try:
                data = os.read(self.controller, 4096)
            except OSError:
                return
            try:
                self.link.write(data)
            except (serial.SerialException, OSError):
                self.unplug()
                return

    def _to_host(self):
        while self.running:
            try:
                data = self.link.read(max(1, self.link.in_waiting))
            except (serial.SerialException, OSError):
                data = None
            if data is None or getattr(self.link, "vanished", False):
                self.unplug()  # however the link failed, the device goes away
                return
            view = memoryview(data)
            while view and self.running:
                try:
                    view = view[os.write(self.controller, view):]
                except BlockingIOError:
                    select.select([], [self.controller], [], 0.05)
                except OSError:
                    return

    def unplug(self):
        if self.running:
            self.running = False
            os.write(self._wake_w, b"x")
            try:
                os.close(self.controller)
            except OSError:
                pass

    def stop(self):
        self.unplug()
        for thread in self.threads:
            if thread is not threading.current_thread():
                thread.join(2)
        self.link.close()
        for fd in (self.device, self._wake_r, self._wake_w):
            try:
                os.close(fd)
            except OSError:
                pass


class Rfc2217Server:
    """A loopback RFC 2217 server for one board link, as pyserial's
    examples/rfc2217_server.py does it: a PortManager per client, one
    thread from the link to the socket, one from the socket to the link.
    Clients connect to `url` (rfc2217://127.0.0.1:PORT) one after another."""

    def __init__(self, link):
        self.link = link
        self.link.timeout = 0.05
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.url = f"rfc2217://127.0.0.1:{self.port}"
        self.running = True
        self.client = None
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        self.listener.settimeout(0.05)  # closing a socket does not wake accept()
        while self.running:
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.client = client
            self._redirect(client)

    def _redirect(self, client):
        lock = threading.Lock()
        alive = [True]

        class Connection:
            @staticmethod
            def write(data):
                with lock:
                    client.sendall(data)

        manager = serial.rfc2217.PortManager(self.link, Connection)

        def to_client():
            while alive[0] and self.running:
                try:
                    data = self.link.read(max(1, self.link.in_waiting))
                    if data:
                        Connection.write(b"".join(manager.escape(data)))
                except (OSError, serial.SerialException):
                    break
            alive[0] = False
            try:
                client.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

        reader = threading.Thread(target=to_client, daemon=True)
        reader.start()
        while alive[0] and self.running:
            try:
                data = client.recv(1024)
            except OSError:
                break
            if not data:
                break
            try:
                self.link.write(b"".join(manager.filter(data)))
            except (OSError, serial.SerialException):
                break
        alive[0] = False
        reader.join(2)
        client.close()

    def stop(self):
        self.running = False
        self.listener.close()
        if self.client is not None:
            try:
                self.client.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.thread.join(2)
        self.link.close()
