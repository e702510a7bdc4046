// test_cxx_overloads.cpp - a C++ program using the generic names of
// shmem.h as overloads from templates, instantiated for every type of each
// routine's table (the X-macro lists of shmem_type_table.h), with and
// without a context: RMA (put, get, p, g, iput, iget, put_signal, nbi),
// AMOs (standard, extended, bitwise, nbi), wait_until/test, the team
// collectives and every reduction.  Built as C++20 by the test build and
// compiled as C++17 as well (tests/c/CMakeLists.txt).
#include <shmem.h>

#include <cstdint>
#include <cstdio>
#include <cstring>

#include "check.h"

namespace {

int me, npes, right_pe, left_pe;
shmem_ctx_t ctx;
char *arena; // symmetric
constexpr size_t kArena = 4096;
constexpr size_t N = 5;

template <class T> T val(int pe, size_t i) {
  return static_cast<T>(pe * 7 + static_cast<int>(i) + 1);
}
template <class T> T *sym(size_t slot) { return reinterpret_cast<T *>(arena + slot * 512); }

template <class T> void rma(const char *name) {
  T *a = sym<T>(0), *b = sym<T>(1);
  T src[N], got[N];
  for (size_t i = 0; i < N; ++i) src[i] = val<T>(me, i);
  shmem_put(a, src, N, right_pe);
  shmem_put(ctx, b, src, N, right_pe);
  shmem_ctx_quiet(ctx);
  shmem_barrier_all();
  for (size_t i = 0; i < N; ++i)
    CHECK(a[i] == val<T>(left_pe, i) && b[i] == val<T>(left_pe, i), "%s put %zu", name, i);
  shmem_get(got, a, N, right_pe);
  for (size_t i = 0; i < N; ++i) CHECK(got[i] == src[i], "%s get %zu", name, i);
  shmem_get_nbi(ctx, got, b, N, right_pe);
  shmem_ctx_quiet(ctx);
  for (size_t i = 0; i < N; ++i) CHECK(got[i] == src[i], "%s ctx get_nbi %zu", name, i);
  CHECK(shmem_g(a + 2, right_pe) == src[2] && shmem_g(ctx, b + 3, right_pe) == src[3], "%s g",
        name);
  shmem_barrier_all();
  shmem_p(a, val<T>(me, 9), right_pe);
  shmem_p(ctx, b, val<T>(me, 8), right_pe);
  shmem_iput(a + 1, src, 2, 1, 2, right_pe); // a[1], a[3] <- src[0], src[1]
  shmem_put_nbi(ctx, b + 1, src + 1, 1, right_pe);
  shmem_ctx_quiet(ctx);
  shmem_barrier_all();
  CHECK(a[0] == val<T>(left_pe, 9) && b[0] == val<T>(left_pe, 8), "%s p", name);
  CHECK(a[1] == val<T>(left_pe, 0) && a[3] == val<T>(left_pe, 1), "%s iput", name);
  CHECK(b[1] == val<T>(left_pe, 1), "%s put_nbi", name);
  T st[2];
  shmem_iget(ctx, st, a + 1, 1, 2, 2, right_pe);
  CHECK(st[0] == val<T>(me, 0) && st[1] == val<T>(me, 1), "%s iget", name);
  // put_signal: the block, then the signal
  uint64_t *sig = sym<uint64_t>(7);
  *sig = 0;
  shmem_barrier_all();
  shmem_put_signal(a, src, N, sig, 5, SHMEM_SIGNAL_SET, right_pe);
  shmem_signal_wait_until(sig, SHMEM_CMP_GE, 5); // the left PE may have added already
  shmem_put_signal_nbi(ctx, b, src, N, sig, 1, SHMEM_SIGNAL_ADD, right_pe);
  shmem_signal_wait_until(sig, SHMEM_CMP_EQ, 6);
  for (size_t i = 0; i < N; ++i)
    CHECK(a[i] == val<T>(left_pe, i) && b[i] == val<T>(left_pe, i), "%s put_signal", name);
  shmem_barrier_all();
}

template <class T> void coll(const char *name) {
  T *s = sym<T>(0), *d = sym<T>(1);
  for (size_t i = 0; i < N; ++i) s[i] = val<T>(me, i);
  CHECK(shmem_broadcast(SHMEM_TEAM_WORLD, d, s, N, npes - 1) == 0, "%s broadcast", name);
  for (size_t i = 0; i < N; ++i) CHECK(d[i] == val<T>(npes - 1, i), "%s broadcast %zu", name, i);
  CHECK(shmem_fcollect(SHMEM_TEAM_WORLD, d, s, 1) == 0, "%s fcollect", name);
  for (int k = 0; k < npes; ++k) CHECK(d[k] == val<T>(k, 0), "%s fcollect %d", name, k);
  CHECK(shmem_collect(SHMEM_TEAM_WORLD, d, s, 1) == 0, "%s collect", name);
  for (int k = 0; k < npes; ++k) CHECK(d[k] == val<T>(k, 0), "%s collect %d", name, k);
  for (int k = 0; k < npes; ++k) s[k] = val<T>(me, static_cast<size_t>(k));
  CHECK(shmem_alltoall(SHMEM_TEAM_WORLD, d, s, 1) == 0, "%s alltoall", name);
  for (int k = 0; k < npes; ++k)
    CHECK(d[k] == val<T>(k, static_cast<size_t>(me)), "%s alltoall %d", name, k);
  CHECK(shmem_alltoalls(SHMEM_TEAM_WORLD, d, s, 1, 1, 1) == 0, "%s alltoalls", name);
  shmem_barrier_all();
}

template <class T> void amo_ext(const char *name) {
  T *x = sym<T>(2);
  *x = T(0);
  shmem_barrier_all();
  shmem_atomic_set(x, val<T>(me, 1), right_pe);
  shmem_barrier_all();
  CHECK(shmem_atomic_fetch(x, me) == val<T>(left_pe, 1), "%s set/fetch", name);
  T old = shmem_atomic_swap(ctx, x, val<T>(me, 2), me);
  CHECK(old == val<T>(left_pe, 1) && *x == val<T>(me, 2), "%s swap", name);
  T f = T(0);
  shmem_atomic_fetch_nbi(ctx, &f, x, me);
  shmem_atomic_swap_nbi(&old, x, val<T>(me, 3), me);
  shmem_ctx_quiet(ctx);
  shmem_quiet();
  CHECK(f == val<T>(me, 2) && old == val<T>(me, 2) && *x == val<T>(me, 3), "%s nbi", name);
  shmem_barrier_all();
}

template <class T> void amo_std(const char *name) {
  T *x = sym<T>(3);
  *x = T(0);
  shmem_barrier_all();
  shmem_atomic_inc(x, 0);
  shmem_atomic_add(ctx, x, T(2), 0);
  (void)shmem_atomic_fetch_inc(x, 0);
  (void)shmem_atomic_fetch_add(ctx, x, T(3), 0);
  T f = T(0);
  shmem_atomic_fetch_add_nbi(&f, x, T(1), 0);
  shmem_atomic_fetch_inc_nbi(ctx, &f, x, 0);
  shmem_ctx_quiet(ctx);
  shmem_barrier_all();
  if (me == 0) CHECK(*x == T(9 * npes), "%s sum %lld", name, static_cast<long long>(*x));
  shmem_barrier_all();
  if (me == 0) {
    CHECK(shmem_atomic_compare_swap(x, T(9 * npes), T(1), 0) == T(9 * npes) && *x == T(1),
          "%s compare_swap", name);
    T o = T(0);
    shmem_atomic_compare_swap_nbi(ctx, &o, x, T(5), T(2), 0);
    shmem_ctx_quiet(ctx);
    CHECK(o == T(1) && *x == T(1), "%s compare_swap_nbi (no swap)", name);
  }
  shmem_barrier_all();
}

template <class T> void amo_bit(const char *name) {
  T *x = sym<T>(4);
  *x = static_cast<T>(~T(0));
  shmem_barrier_all();
  shmem_atomic_and(x, static_cast<T>(~(T(1) << me)), 0); // clear my bit
  shmem_barrier_all();
  if (me == 0) {
    T expect = static_cast<T>(~T(0));
    for (int k = 0; k < npes; ++k) expect = static_cast<T>(expect & ~(T(1) << k));
    CHECK(*x == expect, "%s and", name);
    CHECK(shmem_atomic_fetch_or(ctx, x, T(1), 0) == expect, "%s fetch_or", name);
    CHECK(shmem_atomic_fetch_xor(x, T(1), 0) == static_cast<T>(expect | T(1)), "%s fetch_xor",
          name);
    shmem_atomic_or(x, T(2), 0);
    shmem_atomic_xor(ctx, x, T(2), 0);
    T f = T(0);
    shmem_atomic_fetch_and_nbi(&f, x, T(0), 0);
    shmem_atomic_fetch_or_nbi(ctx, &f, x, T(4), 0);
    shmem_atomic_fetch_xor_nbi(&f, x, T(4), 0);
    shmem_ctx_quiet(ctx);
    shmem_quiet();
    CHECK(f == T(4) && *x == T(0), "%s bitwise nbi", name);
    CHECK(shmem_atomic_fetch_and(x, T(0), 0) == T(0), "%s fetch_and", name);
  }
  shmem_barrier_all();
}

template <class T> void sync(const char *name) {
  T *v = sym<T>(5);
  for (int i = 0; i < 4; ++i) v[i] = T(0);
  shmem_barrier_all();
  shmem_atomic_set(v + 1, T(3), right_pe);
  shmem_wait_until(v + 1, SHMEM_CMP_EQ, T(3));
  CHECK(shmem_test(v + 1, SHMEM_CMP_GE, T(3)) == 1, "%s test", name);
  int status[4] = {0, 0, 1, 1};
  shmem_wait_until_all(v, 2, status, SHMEM_CMP_GE, T(0));
  CHECK(shmem_wait_until_any(v, 4, status, SHMEM_CMP_EQ, T(3)) == 1, "%s wait_until_any", name);
  size_t idx[4];
  CHECK(shmem_wait_until_some(v, 4, idx, status, SHMEM_CMP_NE, T(0)) == 1 && idx[0] == 1,
        "%s wait_until_some", name);
  T vals[4] = {T(0), T(3), T(9), T(9)};
  CHECK(shmem_test_all_vector(v, 4, status, SHMEM_CMP_EQ, vals) == 1, "%s test_all_vector", name);
  CHECK(shmem_test_any(v, 4, nullptr, SHMEM_CMP_GT, T(5)) == SIZE_MAX, "%s test_any", name);
  CHECK(shmem_test_some_vector(v, 4, idx, nullptr, SHMEM_CMP_EQ, vals) == 2, "%s test_some_vector",
        name);
  shmem_barrier_all();
}

struct OpAnd { template <class T> static T f(T a, T b) { return static_cast<T>(a & b); } };
struct OpOr { template <class T> static T f(T a, T b) { return static_cast<T>(a | b); } };
struct OpXor { template <class T> static T f(T a, T b) { return static_cast<T>(a ^ b); } };
struct OpMax { template <class T> static T f(T a, T b) { return b > a ? b : a; } };
struct OpMin { template <class T> static T f(T a, T b) { return b < a ? b : a; } };
struct OpSum { template <class T> static T f(T a, T b) { return static_cast<T>(a + b); } };
struct OpProd { template <class T> static T f(T a, T b) { return static_cast<T>(a * b); } };

// One reduction through its generic overload; GEN gives element i of PE p.
template <class T, class Op, class Call>
void reduce(const char *name, const char *op, Call call, T (*gen)(int, size_t)) {
  T *s = sym<T>(0), *d = sym<T>(1);
  for (size_t i = 0; i < N; ++i) s[i] = gen(me, i);
  CHECK(call(SHMEM_TEAM_WORLD, d, s, N) == 0, "%s %s rc", name, op);
  for (size_t i = 0; i < N; ++i) {
    T e = gen(0, i);
    for (int k = 1; k < npes; ++k) e = Op::f(e, gen(k, i));
    CHECK(d[i] == e, "%s %s_reduce element %zu", name, op, i);
  }
  shmem_barrier_all();
}
template <class T> T gen_bits(int p, size_t i) {
  return static_cast<T>((static_cast<unsigned>(i) * 37u + static_cast<unsigned>(p) * 11u + 5u) |
                        (1u << p % 7));
}
template <class T> T gen_small(int p, size_t i) {
  return static_cast<T>(static_cast<int>((i + static_cast<size_t>(p)) % 3) - 1 + (p == 0 ? 2 : 0));
}

// The generic reduction FN as a callable (T is the template's element type).
#define GENERIC_REDUCE(FN) \
  [](shmem_team_t t, T *d, const T *s, size_t n) { return FN(t, d, s, n); }

template <class T> void red_bitwise(const char *name) {
  reduce<T, OpAnd>(name, "and", GENERIC_REDUCE(shmem_and_reduce), gen_bits<T>);
  reduce<T, OpOr>(name, "or", GENERIC_REDUCE(shmem_or_reduce), gen_bits<T>);
  reduce<T, OpXor>(name, "xor", GENERIC_REDUCE(shmem_xor_reduce), gen_bits<T>);
}
template <class T> void red_minmax(const char *name) {
  reduce<T, OpMax>(name, "max", GENERIC_REDUCE(shmem_max_reduce), gen_small<T>);
  reduce<T, OpMin>(name, "min", GENERIC_REDUCE(shmem_min_reduce), gen_small<T>);
}
template <class T> void red_arith(const char *name) {
  reduce<T, OpSum>(name, "sum", GENERIC_REDUCE(shmem_sum_reduce), gen_small<T>);
  reduce<T, OpProd>(name, "prod", GENERIC_REDUCE(shmem_prod_reduce), gen_small<T>);
}

} // namespace

#define RUN_RMA(NAME, T) rma<T>(#NAME); coll<T>(#NAME);
#define RUN_EXT(NAME, T) amo_ext<T>(#NAME);
#define RUN_STD(NAME, T) amo_std<T>(#NAME);
#define RUN_BIT(NAME, T) amo_bit<T>(#NAME);
#define RUN_SYNC(NAME, T) sync<T>(#NAME);
#define RUN_RB(NAME, T) red_bitwise<T>(#NAME);
#define RUN_RM(NAME, T) red_minmax<T>(#NAME);
#define RUN_RA(NAME, T) red_arith<T>(#NAME);

int main() {
  shmem_init();
  me = check_pe();
  npes = shmem_n_pes();
  right_pe = (me + 1) % npes;
  left_pe = (me + npes - 1) % npes;
  arena = static_cast<char *>(shmem_calloc(kArena, 1));
  CHECK(arena != nullptr, "calloc");
  CHECK(shmem_ctx_create(0, &ctx) == 0, "ctx_create");

  SHMEM_RMA_TYPES(RUN_RMA)
  SHMEM_AMO_EXTENDED_TYPES(RUN_EXT)
  SHMEM_AMO_STANDARD_TYPES(RUN_STD)
  SHMEM_AMO_BITWISE_TYPES(RUN_BIT)
  SHMEM_SYNC_TYPES(RUN_SYNC)
  SHMEM_REDUCE_BITWISE_TYPES(RUN_RB)
  SHMEM_REDUCE_BITWISE_TYPES_EXTRA(RUN_RB)
  SHMEM_REDUCE_MINMAX_TYPES(RUN_RM)
  SHMEM_REDUCE_ARITH_TYPES(RUN_RA)

  shmem_ctx_destroy(ctx);
  shmem_free(arena);
  shmem_finalize();
  return 0;
}
