"""Both APIs in one program: symmetric NumPy arrays from the high-level
`shmem` module handed to C routines of `shmem4py.api` through
ffi.from_buffer, teams and contexts made on one side and used on the other
(team.ob_team, ctx.ob_ctx, shmem.Team(handle), shmem.Ctx(handle)).

Self-check: every result is computed independently on each PE.
"""
import numpy as np

from shmem4py import shmem
from shmem4py.api import ffi, lib

assert shmem.ffi is ffi and shmem.lib is lib

me, npes = shmem.my_pe(), shmem.n_pes()
assert (lib.shmem_my_pe(), lib.shmem_n_pes()) == (me, npes)
right, left = (me + 1) % npes, (me - 1) % npes

# A symmetric NumPy array written through the C API, one element per PE.
table = shmem.zeros(npes, dtype="i")
shmem.barrier_all()
cells = ffi.from_buffer("int[]", table)
for pe in range(npes):
    lib.shmem_int_p(cells + me, 7 * me + 1, pe)
lib.shmem_barrier_all()
assert table.tolist() == [7 * p + 1 for p in range(npes)], table

# C atomics on a NumPy counter, read back with the high-level API.
counter = shmem.zeros(1, dtype="l")
shmem.barrier_all()
lib.shmem_long_atomic_add(ffi.from_buffer("long[]", counter), me + 1, 0)
shmem.barrier_all()
assert shmem.atomic_fetch(counter, 0) == npes * (npes + 1) // 2

# A context made by the high-level API, used by C routines.
ctx = shmem.Ctx.create()
target = shmem.zeros(5, dtype="l")
source = np.arange(5, dtype="l") + 10 * me
shmem.barrier_all()
lib.shmem_ctx_long_put(ctx.ob_ctx, ffi.from_buffer("long[]", target),
                       ffi.from_buffer("long[]", source), 5, right)
lib.shmem_ctx_quiet(ctx.ob_ctx)
shmem.barrier_all()
assert (target == np.arange(5) + 10 * left).all(), target
ctx.destroy()

# A context made by the C API, used by the high-level API.
handle = ffi.new("shmem_ctx_t*")
assert lib.shmem_ctx_create(0, handle) == 0
cctx = shmem.Ctx(handle[0])
assert cctx and cctx != shmem.CTX_DEFAULT
back = np.zeros(5, dtype="l")
shmem.get(back, target, right, ctx=cctx)
cctx.quiet()
assert (back == np.arange(5) + 10 * me).all(), back
cctx.destroy()

# A team split by the high-level API, queried through the C API.
evens = shmem.TEAM_WORLD.split_strided(0, 2, (npes + 1) // 2)
if me % 2 == 0:
    assert evens
    assert lib.shmem_team_my_pe(evens.ob_team) == me // 2
    assert lib.shmem_team_n_pes(evens.ob_team) == (npes + 1) // 2
    last = lib.shmem_team_translate_pe(evens.ob_team, (npes - 1) // 2, lib.SHMEM_TEAM_WORLD)
    assert last == 2 * ((npes - 1) // 2), last
    assert lib.shmem_team_sync(evens.ob_team) == 0
else:
    assert not evens
evens.destroy()

# A team split by the C API, used by high-level collectives.
config = ffi.new("shmem_team_config_t*")
newteam = ffi.new("shmem_team_t*")
assert lib.shmem_team_split_strided(lib.SHMEM_TEAM_WORLD, 0, 1, npes, config, 0, newteam) == 0
team = shmem.Team(newteam[0])
assert team.n_pes() == npes and team.my_pe() == me
values = shmem.full(3, me + 1, dtype="d")
sums = shmem.zeros(3, dtype="d")
shmem.sum_reduce(sums, values, team=team)
assert (sums == npes * (npes + 1) / 2).all(), sums
team.destroy()

# Signals: a NumPy signal word handed to the C signal routines.
data = shmem.zeros(4, dtype="i")
signal = shmem.new_signal()
shmem.barrier_all()
payload = np.full(4, me, dtype="i")
lib.shmem_int_put_signal(ffi.from_buffer("int[]", data), ffi.from_buffer("int[]", payload), 4,
                         ffi.from_buffer("uint64_t[]", signal), me + 1,
                         lib.SHMEM_SIGNAL_SET, right)
got = shmem.signal_wait_until(signal, shmem.CMP.EQ, left + 1)
assert got == left + 1 and (data == left).all(), (got, data)
assert lib.shmem_signal_fetch(ffi.from_buffer("uint64_t[]", signal)) == left + 1

# shmem.ptr and lib.shmem_ptr agree on where a peer's copy is.
view = shmem.ptr(table, right)
cptr = lib.shmem_ptr(ffi.from_buffer(table), right)
if view is not None:
    assert cptr != ffi.NULL
    assert int(ffi.cast("uintptr_t", cptr)) == view.__array_interface__["data"][0]
    assert view.tolist() == table.tolist()

shmem.barrier_all()
for a in (table, counter, target, values, sums, data):
    shmem.free(a)
shmem.del_signal(signal)
print(f"mixed_api: PE {me} of {npes} OK", flush=True)
