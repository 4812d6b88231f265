"""A TCP relay run as a process of its own: `python tcp_relay.py LISTEN_PORT HOST PORT`.

Stopped with SIGSTOP it is a frozen database as the client sees it: its kernel still accepts
connections and acknowledges data and keepalives, but no answer ever comes back.
"""

import socket
import sys
import threading


def pipe(source, sink):
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    sink.close()


def main(listen_port, host, port):
    listener = socket.create_server(("127.0.0.1", listen_port))
    print("listening", flush=True)
    while True:
        client, _ = listener.accept()
        upstream = socket.create_connection((host, port))
        for source, sink in ((client, upstream), (upstream, client)):
            threading.Thread(target=pipe, args=(source, sink), daemon=True).start()


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], int(sys.argv[3]))
