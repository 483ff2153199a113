"""Reading callgrind's output files (the ir suites: ceiling-ir, ovs-ir)."""
import re


def total_ir(path):
    """Instructions recorded in one callgrind file (its summary/totals line); 0 if none."""
    with open(path) as f:
        for line in f:
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
    return 0


def calls(path, names):
    """Calls to the functions `names` recorded in one callgrind file (name compression:
    cfn=(id) name the first time, cfn=(id) after)."""
    ids, total, want = {}, 0, False
    with open(path) as f:
        for line in f:
            if line.startswith(("fn=", "cfn=")):
                m = re.match(r"(c?fn)=\((\d+)\)(?: (.*))?", line.strip())
                if m:
                    if m.group(3):
                        ids[m.group(2)] = m.group(3)
                    if m.group(1) == "cfn":
                        want = ids.get(m.group(2)) in names
            elif want and line.startswith("calls="):
                total += int(line.split("=")[1].split()[0])
                want = False
    return total
