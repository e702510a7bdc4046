/* reduce_ops.h - what each reduction operator does to two elements, for
 * the test programs' expected values: COMB_<op>(a, b) for every operator
 * of the reductions (SHMEM_REDUCE_*_OPS of shmem_type_table.h). */
#ifndef SHMEM_TESTS_REDUCE_OPS_H
#define SHMEM_TESTS_REDUCE_OPS_H

#define COMB_and(a, b) ((a) & (b))
#define COMB_or(a, b) ((a) | (b))
#define COMB_xor(a, b) ((a) ^ (b))
#define COMB_max(a, b) ((b) > (a) ? (b) : (a))
#define COMB_min(a, b) ((b) < (a) ? (b) : (a))
#define COMB_sum(a, b) ((a) + (b))
#define COMB_prod(a, b) ((a) * (b))

#endif /* SHMEM_TESTS_REDUCE_OPS_H */
