"""concurrent.futures：I/O 密集用线程池，CPU 密集用进程池。

python3 thread_pool.py  原样运行页面程序（需要能访问 example.com/org）。
OFFLINE=1 python3 thread_pool.py  测试用：urllib 的 https 请求由下面的假处理器应答，
不连网，结果确定；页面程序本身一字未改。
"""
import io
import os
import urllib.request
import urllib.response

if os.environ.get("OFFLINE") == "1":

    class FakeHTTPS(urllib.request.BaseHandler):
        handler_order = 100  # 排在默认的 HTTPSHandler 前面

        def https_open(self, req):
            body = f"fake page for {req.full_url}".encode()
            resp = urllib.response.addinfourl(io.BytesIO(body), {}, req.full_url, 200)
            resp.msg = "OK"
            return resp

    urllib.request.install_opener(urllib.request.build_opener(FakeHTTPS))

# ANCHOR: executors
from concurrent.futures import ThreadPoolExecutor, ProcessPoolExecutor, as_completed
import urllib.request

def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as resp:
        return url, len(resp.read())

def cpu_heavy(n):
    return sum(i * i for i in range(n))

if __name__ == "__main__":                       # 进程池必需：子进程会重新导入主模块
    urls = ["https://example.com", "https://example.org"]

    # I/O 密集：线程池
    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = {pool.submit(fetch, u): u for u in urls}
        for fut in as_completed(futures):        # 谁先完成先处理谁
            try:
                url, size = fut.result()         # 任务里的异常在这里重新抛出
                print(url, size)
            except Exception as exc:
                print(futures[fut], "失败：", exc)

    # CPU 密集：进程池，map 按输入顺序返回结果
    with ProcessPoolExecutor() as pool:
        for total in pool.map(cpu_heavy, [10**6] * 8, chunksize=2):
            print(total)
# ANCHOR_END: executors
