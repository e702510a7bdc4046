// core/team_mgmt.hpp - creating and destroying teams and contexts.
//
// Team slots.  Every team owns a slot index into Control::team[] for its
// synchronization and scratch words (slots 0 and 1 are WORLD and SHARED).
// A PE never holds two teams on one slot; disjoint teams may share a slot
// (the words live in each member's own control block), so the rows of a
// 2-D split all get one slot.  A split is collective over the parent: the
// parent's members OR their bitmaps of slots in use, take the lowest free
// slot, and agree on the MAX of that slot's last epoch, so the new team's
// barrier epochs continue above any value left in the control words.
//
// Destroyed teams and contexts stay as tombstones (a team of size 0, a
// context with team == nullptr) for a while, so that a later use of the
// handle is diagnosed instead of touching freed memory; the oldest
// tombstones are freed (team_mgmt.cpp, kQuarantine).
#pragma once
#include "team.hpp"

namespace shmemi {

// Scratch words of a team slot used by the team layer and the collectives.
// Words 0..5 of slot 0 belong to the heap's symmetry check.
namespace scratch {
constexpr int kSplitMask = 8;      // split: this PE's used-slot bitmap
constexpr int kSplitConflict = 9;  // split: the chosen slot is taken here
constexpr int kSplitEpoch = 10;    // split: this PE's last epoch of the slot
constexpr int kCollectCount = 16;  // collect: this PE's nelems
} // namespace scratch

inline bool team_destroyed(const shmemi_team *t) { return t->size == 0; }

// The team of a routine whose use of an invalid team is an error (the
// collectives): diagnoses SHMEM_TEAM_INVALID and destroyed teams.
shmemi_team *check_team(const char *routine, shmem_team_t team);
// Diagnoses a destroyed team; SHMEM_TEAM_INVALID passes (returns false).
bool live_team(const char *routine, shmem_team_t team);

int team_split_strided(const char *routine, shmemi_team *parent, int start, int stride,
                       int size, const shmem_team_config_t *config, long config_mask,
                       shmem_team_t *new_team);
int team_split_2d(const char *routine, shmemi_team *parent, int xrange,
                  const shmem_team_config_t *xconfig, long xmask, shmem_team_t *xteam,
                  const shmem_team_config_t *yconfig, long ymask, shmem_team_t *yteam);
void team_destroy(const char *routine, shmemi_team *team);
// The last shmem_finalize: every team made by a split and every context
// created by the program end (their handles are diagnosed from now on).
void teams_finalize();

int ctx_create(const char *routine, shmem_team_t team, long options, shmem_ctx_t *ctx);
void ctx_destroy(const char *routine, shmem_ctx_t ctx);
int ctx_get_team(const char *routine, shmem_ctx_t ctx, shmem_team_t *team);

} // namespace shmemi
