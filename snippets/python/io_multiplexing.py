"""selectors 写的单线程 echo 服务端：一个线程同时服务多个连接。

python3 io_multiplexing.py [PORT]  一直运行，直到被杀掉；先打印实际监听的端口
（PORT 为 0 时由内核挑选；测试就这样拿到端口，连上去检查，再结束它）。
"""
# ANCHOR: selectors
import selectors
import socket
import sys

# 端口可以在命令行上指定；给 0 则由内核挑一个空闲端口
PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 8888
sel = selectors.DefaultSelector()
srv = socket.create_server(("127.0.0.1", PORT))
srv.setblocking(False)
sel.register(srv, selectors.EVENT_READ)
print("listening on port", srv.getsockname()[1], flush=True)

while True:
    # 唯一会阻塞的地方：直到至少一个描述符就绪
    for key, _ in sel.select():
        sock = key.fileobj
        if sock is srv:
            conn, _ = srv.accept()
            conn.setblocking(False)
            sel.register(conn, selectors.EVENT_READ)
        elif data := sock.recv(4096):
            # 为了简短没检查返回值：真实代码要处理写不完，改为登记 EVENT_WRITE
            sock.send(data)
        else:
            # b''：对方关闭了
            sel.unregister(sock)
            sock.close()
# ANCHOR_END: selectors
