"""TCP echo：页面上的服务端 serve() 和客户端程序。

python3 socket_echo.py PORT  在后台线程里用 PORT 启动 serve()（0 表示由内核挑一个空闲端口），
等它开始监听，再运行页面上的客户端（客户端从命令行读端口）；最后再发 1 MiB 检查 recv 循环和 sendall 能完整回显大消息。
"""
# ANCHOR: server
import socket

def serve(host="127.0.0.1", port=8888):
    # create_server (3.8+) 完成 socket + bind + listen，
    # 在 POSIX 上还会设置 SO_REUSEADDR，重启时不会因 TIME_WAIT 报“地址已被占用”
    with socket.create_server((host, port)) as srv:
        while True:
            # 阻塞，直到有一条已建立的连接
            conn, addr = srv.accept()
            with conn:
                # b'' 表示对方关闭了发送方向；sendall 会循环直到全部写完
                while data := conn.recv(4096):
                    conn.sendall(data)
# ANCHOR_END: server

import queue
import sys
import threading


def start_server(port, limit=10):
    """在后台线程里运行 serve()，返回它实际监听的端口（port 为 0 时由内核挑选）。"""
    bound = queue.Queue()
    real = socket.create_server

    def create_server(*args, **kwargs):  # 只为拿到 serve() 里监听套接字的端口
        srv = real(*args, **kwargs)     # 返回时已经在 listen：之后的连接会排队等 accept
        bound.put(srv.getsockname()[1])
        return srv

    socket.create_server = create_server
    threading.Thread(target=serve, kwargs={"port": port}, daemon=True).start()
    try:
        return bound.get(timeout=limit)
    except queue.Empty:
        sys.exit(f"server did not start listening within {limit}s")
    finally:
        socket.create_server = real


def echo_big(port, size=1 << 20):
    """发送方单独一个线程：一边发一边收，双方的缓冲区都不会被塞满而互相等待。"""
    payload = bytes(i % 251 for i in range(size))
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:

        def send():
            sock.sendall(payload)
            sock.shutdown(socket.SHUT_WR)

        sender = threading.Thread(target=send)
        sender.start()
        received = bytearray()
        while chunk := sock.recv(65536):
            received += chunk
        sender.join()
    return bytes(received) == payload


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: python3 socket_echo.py PORT  (0: let the kernel pick one)")
    sys.argv[1:] = [str(start_server(int(sys.argv[1])))]  # 页面上的客户端从命令行读端口

# ANCHOR: client
import socket
import sys

# 端口可以在命令行上指定
port = int(sys.argv[1]) if len(sys.argv) > 1 else 8888
with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
    sock.sendall("hello world".encode("utf-8"))
    # 半关闭：我说完了，但还能继续读
    sock.shutdown(socket.SHUT_WR)
    chunks = []
    # 读到服务端关闭连接为止
    while chunk := sock.recv(4096):
        chunks.append(chunk)
print(b"".join(chunks).decode("utf-8"))
# ANCHOR_END: client

print("1 MiB echoed intact:", echo_big(port))
