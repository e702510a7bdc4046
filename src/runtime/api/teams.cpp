// api/teams.cpp - team management and contexts.  PE numbers are relative
// to the team named in each call.
#include "../core/call_id.hpp"
#include "../core/team_mgmt.hpp"

using namespace shmemi;

namespace {
// The world PE of team PE `pe`, or -1 when out of range.
int to_world(const shmemi_team *t, int pe) {
  return pe >= 0 && pe < t->size ? t->world_pe(pe) : -1;
}
// The team PE of world PE `w`, or -1 when it is not a member.
int from_world(const shmemi_team *t, int w) {
  long long off = static_cast<long long>(w) - t->start;
  if (t->size == 1) return off == 0 ? 0 : -1;
  if (off % t->stride != 0) return -1;
  long long i = off / t->stride;
  return i >= 0 && i < t->size ? static_cast<int>(i) : -1;
}
} // namespace

extern "C" {

int shmem_team_my_pe(shmem_team_t team) {
  if (!live_team("shmem_team_my_pe", team)) return -1;
  return team->my_pe;
}

int shmem_team_n_pes(shmem_team_t team) {
  if (!live_team("shmem_team_n_pes", team)) return -1;
  return team->size;
}

int shmem_team_get_config(shmem_team_t team, long config_mask, shmem_team_config_t *config) {
  const char *r = "shmem_team_get_config";
  if (!live_team(r, team)) return -1;
  if (config_mask & ~SHMEM_TEAM_NUM_CONTEXTS) return -1;
  if (config_mask && !config) fatal(r, "config is NULL");
  if (config_mask & SHMEM_TEAM_NUM_CONTEXTS) config->num_contexts = team->config.num_contexts;
  return 0;
}

int shmem_team_translate_pe(shmem_team_t src_team, int src_pe, shmem_team_t dest_team) {
  const char *r = "shmem_team_translate_pe";
  if (!live_team(r, src_team) || !live_team(r, dest_team)) return -1;
  int w = to_world(src_team, src_pe);
  return w < 0 ? -1 : from_world(dest_team, w);
}

int shmem_team_split_strided(shmem_team_t parent_team, int start, int stride, int size,
                             const shmem_team_config_t *config, long config_mask,
                             shmem_team_t *new_team) {
  const char *r = "shmem_team_split_strided";
  if (!live_team(r, parent_team)) {
    if (!new_team) fatal(r, "new_team is NULL");
    *new_team = SHMEM_TEAM_INVALID;
    return -1;
  }
  begin_call(parent_team);
  return team_split_strided(r, parent_team, start, stride, size, config, config_mask,
                            new_team);
}

int shmem_team_split_2d(shmem_team_t parent_team, int xrange,
                        const shmem_team_config_t *xaxis_config, long xaxis_mask,
                        shmem_team_t *xaxis_team, const shmem_team_config_t *yaxis_config,
                        long yaxis_mask, shmem_team_t *yaxis_team) {
  const char *r = "shmem_team_split_2d";
  if (!live_team(r, parent_team)) {
    if (!xaxis_team || !yaxis_team) fatal(r, "xaxis_team or yaxis_team is NULL");
    *xaxis_team = *yaxis_team = SHMEM_TEAM_INVALID;
    return -1;
  }
  begin_call(parent_team);
  return team_split_2d(r, parent_team, xrange, xaxis_config, xaxis_mask, xaxis_team,
                       yaxis_config, yaxis_mask, yaxis_team);
}

void shmem_team_destroy(shmem_team_t team) {
  const char *r = "shmem_team_destroy";
  require_init(r);
  if (team == SHMEM_TEAM_INVALID) return; // the spec's no-op
  if (!team->predefined && !team_destroyed(team))
    team_mark_destroy(begin_call(team), call_kind(r));
  team_destroy(r, team);
}

int shmem_ctx_create(long options, shmem_ctx_t *ctx) {
  return ctx_create("shmem_ctx_create", &team_world, options, ctx);
}

int shmem_team_create_ctx(shmem_team_t team, long options, shmem_ctx_t *ctx) {
  return ctx_create("shmem_team_create_ctx", team, options, ctx);
}

void shmem_ctx_destroy(shmem_ctx_t ctx) { ctx_destroy("shmem_ctx_destroy", ctx); }

int shmem_ctx_get_team(shmem_ctx_t ctx, shmem_team_t *team) {
  return ctx_get_team("shmem_ctx_get_team", ctx, team);
}

// Sessions are hints (1.6): SHMEM_CTX_INVALID is a no-op, a destroyed
// context is diagnosed, and a second start on a started context ORs the
// options and takes the newly masked configuration.
void shmem_ctx_session_start(shmem_ctx_t ctx, long options,
                             const shmem_ctx_session_config_t *config, long config_mask) {
  const char *r = "shmem_ctx_session_start";
  require_init(r);
  if (ctx == SHMEM_CTX_INVALID) return;
  if (ctx->team == nullptr) bad_ctx(r, ctx);
  if (config_mask & ~SHMEM_CTX_SESSION_TOTAL_OPS)
    fatal(r, "config_mask %#lx has bits other than SHMEM_CTX_SESSION_TOTAL_OPS", config_mask);
  if (config_mask != 0 && config == nullptr)
    fatal(r, "config is NULL but config_mask %#lx selects its fields", config_mask);
  if (!ctx->in_session) {
    ctx->session_options = 0;
    ctx->session_total_ops = SIZE_MAX;
  }
  ctx->in_session = true;
  ctx->session_options |= options;
  if (config_mask & SHMEM_CTX_SESSION_TOTAL_OPS) ctx->session_total_ops = config->total_ops;
}

void shmem_ctx_session_stop(shmem_ctx_t ctx) {
  const char *r = "shmem_ctx_session_stop";
  require_init(r);
  if (ctx == SHMEM_CTX_INVALID) return;
  if (ctx->team == nullptr) bad_ctx(r, ctx);
  ctx->in_session = false;
  ctx->session_options = 0;
  ctx->session_total_ops = SIZE_MAX;
}

} // extern "C"
