"""Hello from every PE.

    python -m shmem4py -n 4 examples/hello.py
"""
from shmem4py import shmem

me, npes = shmem.my_pe(), shmem.n_pes()
print(f"Hello from PE {me} of {npes} ({shmem.info_get_name()})", flush=True)
