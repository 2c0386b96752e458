"""Run every bench/bench_*.py in its own process and print one JSON line each."""
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
status = 0
for script in sorted(HERE.glob("bench_*.py")):
    result = subprocess.run([sys.executable, str(script)], cwd=HERE, capture_output=True, text=True)
    print(result.stdout.strip() or result.stderr.strip()[-2000:])
    status |= result.returncode
sys.exit(status)
