"""SO_LINGER 设为“开启、超时 0 秒”再 close：不走四次挥手，直接发 RST。

python3 force_close.py  先建好一条本机 TCP 连接（sock 是页面片段里要关闭的那一端，peer 是对端），
运行页面上的片段，然后看对端读到什么：RST 让 recv 抛 ConnectionResetError；作为对照，普通 close 让对端读到 b''。
"""
import socket


def connected_pair():
    with socket.create_server(("127.0.0.1", 0)) as listener:  # 端口 0：由内核挑一个空闲端口
        client = socket.create_connection(listener.getsockname(), timeout=10)
        server, _ = listener.accept()
        server.settimeout(10)
        return client, server


def what_peer_sees(peer):
    try:
        return repr(peer.recv(4096))
    except ConnectionResetError:
        return "ConnectionResetError"
    finally:
        peer.close()


sock, peer = connected_pair()

# ANCHOR: linger
import socket
import struct

# struct linger { int l_onoff; int l_linger; }（Linux 上的布局）
sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
sock.close()        # 发出 RST，而不是 FIN
# ANCHOR_END: linger

print("after RST close, peer recv:", what_peer_sees(peer))

sock, peer = connected_pair()
sock.close()
print("after normal close, peer recv:", what_peer_sees(peer))
