#!/usr/bin/env python3
"""COUNT logins of one mode, CONCURRENCY at a time, over kept-alive
connections: `logins.py URL MODE USERNAME PASSWORD COUNT CONCURRENCY`.
Prints `<logins> <failed> <seconds>`. (wrk cannot stop after a count: its
main thread sleeps for the whole duration whatever the threads do.)"""
import http.client
import json
import sys
import threading
import time
import urllib.parse

url, mode, username, password, count, concurrency = sys.argv[1:7]
count, concurrency = int(count), int(concurrency)
target = urllib.parse.urlsplit(url)
body = json.dumps({"username": username, "password": password})
lock = threading.Lock()
left = count
failed = 0


def worker():
    global left, failed
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
    while True:
        with lock:
            if left == 0:
                return
            left -= 1
        connection.request("POST", f"/api/{mode}/login", body, {"content-type": "application/json"})
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            with lock:
                failed += 1


started = time.monotonic()
threads = [threading.Thread(target=worker) for _ in range(concurrency)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(count, failed, round(time.monotonic() - started, 3))
