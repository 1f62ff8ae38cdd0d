"""What the benchmark scripts share: the machine line and the generated sales."""

from __future__ import annotations

import os
import platform
import resource
from pathlib import Path

# Skewed client sizes (a power of a uniform), each client active over its own span of days
# from $start, 3% returns: close enough to real sales for the shape of the queries.
GENERATE_SQL = """
INSERT INTO sales
SELECT i::UHUGEINT, 1, i::INTEGER,
       CAST($start AS DATE) + least(1095, s + CAST(floor(random() * sp) AS INTEGER)),
       'C' || lpad(c::VARCHAR, 6, '0'), 'Client ' || c::VARCHAR,
       CASE WHEN random() < 0.03 THEN -v / 3 ELSE v END, v * 0.2, 1 + (i % 7),
       'O' || (i // 3)::VARCHAR, 'Product ' || (i % 97)::VARCHAR,
       ['Furniture', 'Office', 'Tech'][1 + (i % 3)::INTEGER],
       'M' || (c % 25)::VARCHAR, ['East', 'West', 'North', 'South'][1 + (c % 4)::INTEGER],
       ['Consumer', 'Corporate'][1 + (c % 2)::INTEGER], NULL, NULL, false
FROM (
    SELECT i, c, (hash(c) % 900)::INTEGER AS s, (60 + hash(c * 7) % 1036)::INTEGER AS sp,
           round(exp(random() * 6), 2) AS v
    FROM (SELECT i, CAST(floor(pow(random(), 2.5) * $clients) AS BIGINT) AS c
          FROM range($rows) t(i))
)
"""


def generate_sales(conn, rows: int, clients: int, start: str = "2023-01-01") -> None:
    """Insert generated sales rows (three years from start) into the sales table."""
    conn.execute(GENERATE_SQL, {"rows": rows, "clients": clients, "start": start})


def machine() -> str:
    """CPUs, memory, CPU model and Python version of this machine."""
    cpu = platform.processor() or "?"
    mem = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{mem_kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} CPUs, {mem} RAM, {cpu}, Python {platform.python_version()}"


def peak_rss_bytes() -> int:
    """This process's peak resident memory in bytes, its own pages only."""
    # ru_maxrss survives exec: a child started by a parent that once held 1 GB reports at
    # least 1 GB. The kernel's VmHWM belongs to the address space this program runs in.
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
