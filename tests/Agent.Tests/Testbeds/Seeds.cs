namespace Agent.Tests.Testbeds;

/// <summary>
/// The PyMOTW programs from ../shared/seeds (echo clients and servers, the getaddrinfo layout), verbatim except that the address comes from argv
/// (so tests can use a free port or a temp path) and servers print the port they got once they
/// accept connections (after <c>listen()</c>: tests take the line as readiness).
/// </summary>
public static class Seeds
{
    public const string Message = "This is the message.  It will be repeated.";

    /// <summary>
    /// PyMOTW's "Looking Up Server Addresses" program: one Family/Type/Protocol/Canonical name/Socket address
    /// block per <c>socket.getaddrinfo(<paramref name="getaddrinfoArguments"/>)</c> entry.
    /// </summary>
    public static string GetAddrInfoLayout(string getaddrinfoArguments) => $$"""
        import socket
        def get_constants(prefix):
            return {getattr(socket, n): n for n in dir(socket) if n.startswith(prefix)}
        families, types, protocols = get_constants('AF_'), get_constants('SOCK_'), get_constants('IPPROTO_')
        for family, socktype, proto, canonname, sockaddr in socket.getaddrinfo({{getaddrinfoArguments}}):
            print('Family        :', families[family])
            print('Type          :', types[socktype])
            print('Protocol      :', protocols[proto])
            print('Canonical name:', canonname)
            print('Socket address:', sockaddr)
            print()
        """;

    public const string TcpClient = """
        import socket
        import sys

        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server_address = ('localhost', int(sys.argv[1]))
        print('connecting to {} port {}'.format(*server_address))
        sock.connect(server_address)
        try:
            message = b'This is the message.  It will be repeated.'
            print('sending {!r}'.format(message))
            sock.sendall(message)
            amount_received = 0
            amount_expected = len(message)
            while amount_received < amount_expected:
                data = sock.recv(16)
                amount_received += len(data)
                print('received {!r}'.format(data))
        finally:
            print('closing socket')
            sock.close()
        """;

    public const string UdsClient = """
        import socket
        import sys

        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server_address = sys.argv[1]
        print('connecting to {}'.format(server_address))
        try:
            sock.connect(server_address)
        except socket.error as msg:
            print(msg)
            sys.exit(1)
        try:
            message = b'This is the message.  It will be repeated.'
            print('sending {!r}'.format(message))
            sock.sendall(message)
            amount_received = 0
            amount_expected = len(message)
            while amount_received < amount_expected:
                data = sock.recv(16)
                amount_received += len(data)
                print('received {!r}'.format(data))
        finally:
            print('closing socket')
            sock.close()
        """;

    public const string UdpClient = """
        import socket
        import sys

        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        server_address = ('localhost', int(sys.argv[1]))
        message = b'This is the message.  It will be repeated.'
        try:
            print('sending {!r}'.format(message))
            sent = sock.sendto(message, server_address)
            print('waiting to receive')
            data, server = sock.recvfrom(4096)
            print('received {!r}'.format(data))
        finally:
            print('closing socket')
            sock.close()
        """;

    public const string TcpServer = """
        import socket
        import sys

        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server_address = ('localhost', 0)
        sock.bind(server_address)
        sock.listen(1)
        print('bound to port {}'.format(sock.getsockname()[1]), flush=True)
        while True:
            connection, client_address = sock.accept()
            try:
                while True:
                    data = connection.recv(16)
                    if data:
                        connection.sendall(data)
                    else:
                        break
            finally:
                connection.close()
        """;

    public const string UdpServer = """
        import socket
        import sys

        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        server_address = ('localhost', 0)
        sock.bind(server_address)
        print('bound to port {}'.format(sock.getsockname()[1]), flush=True)
        while True:
            data, address = sock.recvfrom(4096)
            if data:
                sent = sock.sendto(data, address)
        """;

    public const string UdsServer = """
        import socket
        import sys
        import os

        server_address = sys.argv[1]
        try:
            os.unlink(server_address)
        except OSError:
            if os.path.exists(server_address):
                raise
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.bind(server_address)
        sock.listen(1)
        print('bound to {}'.format(server_address), flush=True)
        while True:
            connection, client_address = sock.accept()
            try:
                while True:
                    data = connection.recv(16)
                    if data:
                        connection.sendall(data)
                    else:
                        break
            finally:
                connection.close()
        """;

    /// <summary>PyMOTW's socket_socketpair.py, verbatim: a parent and a forked child over <c>socket.socketpair()</c>.</summary>
    public const string SocketPair = """
        import socket
        import os

        parent, child = socket.socketpair()

        pid = os.fork()

        if pid:
            print('in parent, sending message')
            child.close()
            parent.sendall(b'ping')
            response = parent.recv(1024)
            print('response from child:', response)
            parent.close()

        else:
            print('in child, waiting for message')
            parent.close()
            message = child.recv(1024)
            print('message from parent:', message)
            child.sendall(b'pong')
            child.close()
        """;

    /// <summary>The seed client's transcript after its first line.</summary>
    public static readonly string[] StreamTranscript =
    [
        "sending b'This is the message.  It will be repeated.'",
        "received b'This is the mess'",
        "received b'age.  It will be'",
        "received b' repeated.'",
        "closing socket",
    ];
}
