"""Upload a large file through the real server; report the worker's peak memory and the throughput.

Starts gunicorn (one sync worker) on a fresh data directory and SQLite database, signs a patient in
over HTTP, streams a multipart POST of an N MiB PDF to the document upload page, then reads the
worker's peak resident set (VmHWM) from /proc. Throughput is compared with a plain disk copy of the
same file on the same filesystem (shutil.copyfile, and copyfile + fsync, since the upload fsyncs its
file), timed once before and once after the upload; the faster of the two counts.

    .venv/bin/python benchmarks/upload.py [--size-mib 1024] [--tmp-dir DIR]

Prints a table and writes benchmarks/results/upload.json. Exits 1 if the upload itself failed; a
missed memory target is printed loudly but does not change the exit status.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "benchmarks" / "results" / "upload.json"
TARGET_PEAK_MB = 150
MIB = 1024 * 1024
EMAIL, PASSWORD = "bench-patient@example.test", "a-long-bench-password-42"
BOUNDARY = "----secondopinion-bench-boundary-7d4f1c"
Headers = dict[str, str]

SETUP = """
import django; django.setup()
from secondopinion.accounts import actions as accounts
from secondopinion.cases import actions as cases
user = accounts.sign_up(email=%r, password=%r, full_name="Bench Patient", verified=True)
print(cases.create_case(user, {"title": "Upload benchmark", "subject": "self"}).pk)
"""
CHECK = """
import django, hashlib, json, sys, time; django.setup()
from secondopinion.cases.models import Document
from secondopinion.core import crypto, storage
docs = list(Document.objects.all())
out = {"count": len(docs)}
if len(docs) == 1:
    d = docs[0]; path = storage.final_path(d.storage_key)
    out.update(size=d.size, sha256=d.sha256, enc_path=str(path), enc_size=path.stat().st_size,
               expected_enc_size=crypto.encrypted_size(d.size))
    if sys.argv[-1] == "1":
        t = time.perf_counter(); h = hashlib.sha256()
        for chunk in storage.stream_plaintext(d.storage_key, 1 << 20): h.update(chunk)
        out.update(decrypted_sha256=h.hexdigest(), decrypt_seconds=time.perf_counter() - t)
print(json.dumps(out))
"""


def make_file(path: Path, size: int) -> str:
    """A PDF-signed file of incompressible bytes; returns its SHA-256."""
    digest = hashlib.sha256()
    with open(path, "wb") as handle:
        head = b"%PDF-1.7\n"
        handle.write(head)
        digest.update(head)
        left = size - len(head)
        while left > 0:
            block = os.urandom(min(MIB, left))
            handle.write(block)
            digest.update(block)
            left -= len(block)
        handle.flush()
        os.fsync(handle.fileno())  # no dirty pages of its own left to compete with what is timed
    return digest.hexdigest()


def timed_copy(src: Path, dst: Path) -> tuple[float, float]:
    """Seconds for shutil.copyfile, and for copyfile + fsync of the copy (the upload fsyncs too)."""
    start = time.perf_counter()
    shutil.copyfile(src, dst)
    copied = time.perf_counter() - start
    fd = os.open(dst, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    synced = time.perf_counter() - start
    dst.unlink()
    return copied, synced


def proc_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/{pid}/status")


def worker_pid(master: int, timeout: float = 30) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Client:
    """A tiny cookie-keeping HTTP client on http.client (one connection per request)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, url: str, body: object = None, headers: Headers | None = None, timeout: float = 60
    ) -> tuple[int, Headers, bytes]:
        origin = f"http://127.0.0.1:{self.port}"
        all_headers = {"Origin": origin, "Referer": origin + url, **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, url, body=body, headers=all_headers)  # type: ignore[arg-type]
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        for value in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                self.cookies[name] = morsel.value
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def csrf_from(self, url: str) -> str:
        status, _, html = self.request("GET", url)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if status != 200 or match is None:
            raise RuntimeError(f"GET {url}: {status}, no CSRF token")
        return match.group(1).decode()


def multipart(
    fields: list[tuple[str, str]], file_field: str, path: Path, size: int
) -> tuple[int, Iterator[bytes]]:
    """(Content-Length, body iterator): the form fields, then the file streamed from disk in 1 MiB reads."""
    head = b"".join(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields
    )
    head += (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{path.name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()

    def body() -> Iterator[bytes]:
        yield head
        with open(path, "rb") as handle:
            while block := handle.read(MIB):
                yield block
        yield tail

    return len(head) + size + len(tail), body()


class UploadFailed(Exception):
    pass


def py_out(env: dict[str, str], *args: str) -> str:
    """Last line of stdout of a Python run in the project's environment."""
    done = subprocess.run(
        [str(BIN / "python"), *args], env=env, check=True, cwd=ROOT, capture_output=True, text=True
    )
    return done.stdout.strip().splitlines()[-1]


def run(size: int, work: Path, verify: bool) -> dict[str, object]:
    data_dir, source = work / "data", work / "source.pdf"
    data_dir.mkdir()
    limit = str(max(2 * 1024**3, size + MIB))
    env = {
        **os.environ,
        "SECONDOPINION_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{data_dir / 'bench.sqlite3'}",
        "PYTHONPATH": os.pathsep.join(p for p in [str(ROOT), os.environ.get("PYTHONPATH", "")] if p),
        "SECONDOPINION_UPLOAD_MAX_BYTES": limit,
        "SECONDOPINION_UPLOAD_MAX_BYTES_LARGE": limit,
    }
    subprocess.run([str(BIN / "secondopinion"), "migrate", "--verbosity", "0"], env=env, check=True, cwd=ROOT)
    case_id = py_out(env, "-c", SETUP % (EMAIL, PASSWORD))
    print(f"writing a {size / MIB:.0f} MiB test file ...", flush=True)
    source_sha = make_file(source, size)

    copy_before = timed_copy(source, work / "copy.pdf")
    port = free_port()
    argv = f"config.wsgi:application --workers 1 --threads 1 --timeout 600 --bind 127.0.0.1:{port}".split()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), *argv, "--chdir", str(ROOT), "--log-level", "warning"],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        worker = worker_pid(server.pid)
        client = Client(port)
        for _ in range(100):  # wait for the port
            try:
                token = client.csrf_from("/accounts/login/")
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("the server did not answer")
        form = urlencode({"csrfmiddlewaretoken": token, "username": EMAIL, "password": PASSWORD})
        status, _, _ = client.request(
            "POST", "/accounts/login/", form, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        if status != 302 or "sessionid" not in client.cookies:
            raise RuntimeError(f"login failed: {status}")
        upload_url = f"/cases/{case_id}/documents/upload/"
        token = client.csrf_from(upload_url)
        # The login's Argon2 hash (memory_cost 100 MiB) already set the lifetime peak; reset VmHWM to the
        # current RSS (Linux clear_refs "5") so that what follows measures the upload alone.
        login_peak_kb = proc_kb(worker, "VmHWM")
        Path(f"/proc/{worker}/clear_refs").write_text("5")
        baseline_kb = proc_kb(worker, "VmRSS")

        fields = [("csrfmiddlewaretoken", token), ("kind", "pathology_report")]
        length, body = multipart(fields, "file", source, size)
        headers = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}", "Content-Length": str(length)}
        print(f"uploading {size / MIB:.0f} MiB to {upload_url} ...", flush=True)
        start = time.perf_counter()
        status, headers, page = client.request("POST", upload_url, body, headers, timeout=900)
        upload_seconds = time.perf_counter() - start
        peak_kb, after_kb = proc_kb(worker, "VmHWM"), proc_kb(worker, "VmRSS")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    copy_after = timed_copy(source, work / "copy.pdf")

    location = headers.get("location", "")
    if status != 302 or not location.startswith(f"/cases/{case_id}/"):
        raise UploadFailed(f"upload answered {status} {location!r}: {page[:400]!r}")
    check = json.loads(py_out(env, "-c", CHECK, "1" if verify else "0"))
    want = {"count": 1, "size": size, "sha256": source_sha, "enc_size": check.get("expected_enc_size")}
    if verify:
        want["decrypted_sha256"] = source_sha
    problems = [
        f"{key} is {check.get(key)!r}, expected {value!r}"
        for key, value in want.items()
        if check.get(key) != value
    ]
    if problems:
        raise UploadFailed("; ".join(problems))

    copy_seconds = min(copy_before[0], copy_after[0])
    sync_seconds = min(copy_before[1], copy_after[1])
    mb = 1024 / 1e6  # /proc figures are in KiB; report MB (10**6 bytes)
    return {
        "size_bytes": size,
        "upload_seconds": round(upload_seconds, 3),
        "upload_mib_per_s": round(size / MIB / upload_seconds, 1),
        "copy_seconds": round(copy_seconds, 3),
        "copy_mib_per_s": round(size / MIB / copy_seconds, 1),
        "ratio": round(copy_seconds / upload_seconds, 3),
        "copy_fsync_seconds": round(sync_seconds, 3),
        "copy_fsync_mib_per_s": round(size / MIB / sync_seconds, 1),
        "ratio_vs_copy_fsync": round(sync_seconds / upload_seconds, 3),
        "copy_seconds_before_after": [round(copy_before[0], 3), round(copy_after[0], 3)],
        "copy_fsync_seconds_before_after": [round(copy_before[1], 3), round(copy_after[1], 3)],
        "server_peak_rss_mb": round(peak_kb * mb, 1),
        "server_baseline_rss_mb": round(baseline_kb * mb, 1),
        "server_rss_after_mb": round(after_kb * mb, 1),
        "server_peak_at_login_mb": round(login_peak_kb * mb, 1),
        "target_peak_mb": TARGET_PEAK_MB,
        "peak_ok": peak_kb * mb < TARGET_PEAK_MB,
        "enc_size_bytes": check["enc_size"],
        "decrypt_verify_seconds": round(check["decrypt_seconds"], 3) if verify else None,
        "python": platform.python_version(),
        "machine": f"{platform.platform()}, {os.cpu_count()} CPUs",
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mib", type=int, default=1024, help="file size in MiB (default 1024)")
    parser.add_argument(
        "--tmp-dir", default=None, help="where the data, file and copies go (default: $TMPDIR)"
    )
    parser.add_argument("--no-verify", action="store_true", help="do not decrypt the stored file afterwards")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="secondopinion-bench-", dir=args.tmp_dir))
    try:
        size_mib = args.size_mib
        result = run(size_mib * MIB, work, verify=not args.no_verify)
    except (UploadFailed, RuntimeError, OSError, subprocess.CalledProcessError) as exc:
        print(f"UPLOAD BENCHMARK FAILED: {exc}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    r = result
    rows = [
        ("file size", f"{size_mib} MiB"),
        ("upload (POST until the 302)", f"{r['upload_seconds']} s = {r['upload_mib_per_s']} MiB/s"),
        ("copyfile (best of before/after)", f"{r['copy_seconds']} s = {r['copy_mib_per_s']} MiB/s"),
        ("copyfile + fsync (best)", f"{r['copy_fsync_seconds']} s = {r['copy_fsync_mib_per_s']} MiB/s"),
        ("RATIO upload / copyfile", r["ratio"]),
        ("ratio upload / copyfile + fsync", r["ratio_vs_copy_fsync"]),
        ("worker RSS before the upload", f"{r['server_baseline_rss_mb']} MB"),
        ("worker PEAK RSS during upload", f"{r['server_peak_rss_mb']} MB (target < {TARGET_PEAK_MB} MB)"),
        ("worker peak RSS at login", f"{r['server_peak_at_login_mb']} MB (Argon2 hash, not the upload)"),
        ("decrypt + compare SHA-256", f"{r['decrypt_verify_seconds']} s"),
    ]
    for label, value in rows:
        print(f"  {label:<33} {value}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    if not result["peak_ok"]:
        print(
            f"\n*** MEMORY TARGET MISSED: worker peak {result['server_peak_rss_mb']} MB "
            f">= {TARGET_PEAK_MB} MB ***\n",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
