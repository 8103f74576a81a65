#!/usr/bin/env python3
"""`make test-cluster`, end to end: three real instances behind real nginx
(cluster/run.sh), on each session store, driven over HTTP as curl would.

Each scenario asserts the lesson of issue 14: a memory session is unknown
on the other instances and dies with its instance's restart; a shared store
(Redis, PostgreSQL) serves it everywhere and through restarts; a JWT works
on every instance; a forced logout through one instance counts on all (the
session, and the JWT under strict revocation), and so does a role change.
The PostgreSQL scenario keeps everything there: tables, sessions and bus.
"""
import http.cookiejar
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PORT = int(os.environ.get("CLUSTER_TEST_PORT", "8190"))
BASE_PORT = int(os.environ.get("CLUSTER_TEST_BASE_PORT", "3191"))
BALANCER = f"http://127.0.0.1:{PORT}"
SECRET = secrets.token_hex(16)
INSTANCES = ["a", "b", "c"]
# Enough requests to go round the three instances twice.
ASKS = 6


class Client:
    """One browser-less client: its own cookies, or a bearer token."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.bearer = None
        # Sent as is on every request, whatever the answers say (curl -b):
        # an instance that does not know a session tells the client to
        # delete its cookie, and a browser would obey.
        self.cookie = None

    def send(self, method, url, body=None, headers=None):
        request = urllib.request.Request(url, method=method, data=None if body is None else json.dumps(body).encode())
        request.add_header("content-type", "application/json")
        if self.bearer:
            request.add_header("authorization", f"Bearer {self.bearer}")
        if self.cookie:
            request.add_header("cookie", self.cookie)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as err:
            return err.code, err.headers, err.read()

    def me_round(self):
        """ASKS requests of /api/me through the balancer: (instance, status) each."""
        return [(instance, status) for instance, status, _ in self.me_round_with_cookies()]

    def me_round_with_cookies(self):
        """... and whether each answer told the client to delete its session cookie."""
        answers = []
        for _ in range(ASKS):
            status, headers, _ = self.send("GET", f"{BALANCER}/api/me")
            deleted = any(
                value.startswith("authlab_sid=;") and "Max-Age=0" in value for value in headers.get_all("set-cookie") or []
            )
            answers.append((headers["x-authlab-instance"], status, deleted))
        return answers


def session_login(username):
    client = Client()
    status, headers, body = client.send(
        "POST", f"{BALANCER}/api/session/login", {"username": username, "password": f"{username}-password"}
    )
    assert status == 200, (status, body)
    client.cookie = next(f"{cookie.name}={cookie.value}" for cookie in client.jar if cookie.name == "authlab_sid")
    client.jar.clear()
    return client, headers["x-authlab-instance"]


def jwt_login(username):
    client = Client()
    status, _, body = client.send(
        "POST", f"{BALANCER}/api/jwt/login", {"username": username, "password": f"{username}-password"}
    )
    assert status == 200, (status, body)
    client.bearer = json.loads(body)["access_token"]
    return client


def instance_port(name):
    return BASE_PORT + INSTANCES.index(name)


def report(name):
    with urllib.request.urlopen(f"http://127.0.0.1:{instance_port(name)}/api/instance", timeout=5) as response:
        return json.loads(response.read())


def restart(name):
    """Restarts an instance for real, and waits until its new process answers."""
    before = report(name)["started_at"]
    pid_file = os.path.join(Cluster.current.dir, f"{name}.pid")
    old_pid = open(pid_file).read().strip()
    request = urllib.request.Request(
        f"http://127.0.0.1:{instance_port(name)}/api/instance/restart",
        method="POST",
        headers={"x-authlab-cluster-secret": SECRET},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 202
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if open(pid_file).read().strip() != old_pid and report(name)["started_at"] >= before:
                return
        except (OSError, ValueError):
            pass
        time.sleep(0.1)
    raise AssertionError(f"instance {name} did not come back")


def set_role(admin, username, role):
    status, _, body = admin.send("PUT", f"{BALANCER}/api/admin/users/{username}/role", {"role": role})
    assert status == 200, (status, body)


def roles_round(client):
    """ASKS requests of /api/me through the balancer: (instance, role) each."""
    answers = []
    for _ in range(ASKS):
        status, headers, body = client.send("GET", f"{BALANCER}/api/me")
        answers.append((headers["x-authlab-instance"], json.loads(body)["role"] if status == 200 else status))
    return answers


def force_logout(admin, username):
    status, _, body = admin.send("POST", f"{BALANCER}/api/admin/users/{username}/logout")
    assert status == 200, (status, body)


class Cluster:
    current = None

    def __init__(self, store, sticky=False, **env):
        self.store, self.sticky, self.env = store, sticky, env

    def __enter__(self):
        self.dir = tempfile.mkdtemp(prefix=f"authlab-cluster-{self.store}-")
        env = dict(
            os.environ,
            N=str(len(INSTANCES)),
            STORE=self.store,
            STICKY="1" if self.sticky else "0",
            PORT=str(PORT),
            BASE_PORT=str(BASE_PORT),
            CLUSTER_DIR=self.dir,
            CLUSTER_SECRET=SECRET,
            PG_URL=os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/authlab_cluster"),
            **self.env,
        )
        self.process = subprocess.Popen(
            [os.path.join(ROOT, "cluster", "run.sh")],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        for line in self.process.stdout:
            print(f"    {line.rstrip()}")
            if "cluster: open" in line:
                Cluster.current = self
                return self
        raise AssertionError(f"the cluster did not start; see {self.dir}")

    def __exit__(self, *_):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)
        subprocess.run(["rm", "-rf", self.dir])


def instances(answers, status=None):
    return {instance for instance, got in answers if status is None or got == status}


def memory_round_robin():
    with Cluster("memory"):
        alice, made_on = session_login("alice")
        with_cookies = alice.me_round_with_cookies()
        answers = [(instance, status) for instance, status, _ in with_cookies]
        assert instances(answers) == set(INSTANCES), f"round robin reaches every instance: {answers}"
        assert instances(answers, 200) == {made_on}, f"only {made_on} knows the session: {answers}"
        assert instances(answers, 401) == set(INSTANCES) - {made_on}, answers
        # ...and each of the others tells the browser to delete the cookie:
        # a browser is logged out by the first request that goes elsewhere.
        assert all(deleted == (instance != made_on) for instance, _, deleted in with_cookies), with_cookies
        for name in set(INSTANCES) - {made_on}:
            assert report(name)["session_unknown"] >= 1, f"{name} counted no unknown session"
        assert report(made_on)["session_unknown"] == 0

        bob = jwt_login("bob")
        assert instances(bob.me_round(), 200) == set(INSTANCES), "a JWT verifies on every instance"

        restart(made_on)
        assert instances(alice.me_round(), 200) == set(), "the restart took the memory session with it"
        assert instances(bob.me_round(), 200) == set(INSTANCES), "the JWT outlives the restart"
        # The index forgot only the restarted instance's logins.
        carol, carol_on = session_login("alice")
        assert instances(carol.me_round(), 200) == {carol_on}


def memory_sticky():
    with Cluster("memory", sticky=True):
        alice, made_on = session_login("alice")
        answers = alice.me_round()
        assert answers == [(made_on, 200)] * ASKS, f"ip_hash keeps one client on one instance: {answers}"
        restart(made_on)
        assert all(status == 401 for _, status in alice.me_round()), "until that instance restarts"


def shared_store(store, database="sqlite"):
    with Cluster(store, DATABASE=database, AUTHLAB_JWT_STRICT_REVOCATION="true"):
        alice, _ = session_login("alice")
        answers = alice.me_round()
        assert instances(answers, 200) == set(INSTANCES), f"{store}: the session works everywhere: {answers}"
        assert all(report(name)["session_unknown"] == 0 for name in INSTANCES)

        for name in INSTANCES:
            restart(name)
        assert instances(alice.me_round(), 200) == set(INSTANCES), f"{store}: the session survives restarts"

        # Every instance has the session in its cache now; one of them ends it.
        bob_jwt = jwt_login("bob")
        assert instances(bob_jwt.me_round(), 200) == set(INSTANCES)
        admin = jwt_login("admin")
        # A role change through one instance: every cache forgets the user.
        set_role(admin, "alice", "admin")
        roles = roles_round(alice)
        assert {role for _, role in roles} == {"admin"}, f"{store}: the new role counts on all: {roles}"
        set_role(admin, "alice", "user")
        assert {role for _, role in roles_round(alice)} == {"user"}
        force_logout(admin, "alice")
        answers = alice.me_round()
        assert instances(answers, 401) == set(INSTANCES), f"{store}: forced logout counts on all: {answers}"
        force_logout(admin, "bob")
        answers = bob_jwt.me_round()
        assert instances(answers, 401) == set(INSTANCES), f"strict revocation on every instance: {answers}"


SCENARIOS = {
    "memory": memory_round_robin,
    "memory-sticky": memory_sticky,
    "redis": lambda: shared_store("redis"),
    # Everything in PostgreSQL: the tables, the sessions and the bus.
    "postgres": lambda: shared_store("postgres", database="postgres"),
}

if __name__ == "__main__":
    chosen = sys.argv[1:] or list(SCENARIOS)
    for name in chosen:
        started = time.monotonic()
        print(f"cluster: {name}")
        SCENARIOS[name]()
        print(f"cluster: {name} passed in {time.monotonic() - started:.1f} s")
    print(f"cluster: {len(chosen)} scenarios passed")
