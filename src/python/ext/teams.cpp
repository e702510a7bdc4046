// teams.cpp - barriers, teams (split, translate, destroy) and contexts
// (the C++ half of shmem.Ctx, create, destroy, sessions), and the query of
// which optional routine groups the library has.
#include "ext.hpp"

namespace shmem4py {

void def_teams(nb::module_ &m) {
  nb::class_<CtxData>(m, "CtxBase", "The C++ half of shmem.Ctx: a context handle and the "
                                    "size of its team.")
      .def(nb::init<>())
      .def("_set", [](CtxData &c, uintptr_t handle, int npes) {
        c.ctx = reinterpret_cast<shmem_ctx_t>(handle);
        c.npes = npes;
      })
      .def_prop_ro("_handle", [](CtxData &c) { return reinterpret_cast<uintptr_t>(c.ctx); });
  g_ctx_type = reinterpret_cast<PyTypeObject *>(nb::type<CtxData>().ptr());

  m.def("barrier_all", []() {
    require_active("barrier_all");
    nb::gil_scoped_release nogil;
    shmem_barrier_all();
  });
  m.def("sync_all", []() {
    require_active("sync_all");
    nb::gil_scoped_release nogil;
    shmem_sync_all();
  });
  m.def("team_sync", [](uintptr_t team) {
    require_active("sync");
#if SHMEM4PY_HAVE_TEAM_SYNC
    if (AVAILABLE(shmem_team_sync)) {
      int rc;
      {
        nb::gil_scoped_release nogil;
        rc = shmem_team_sync(reinterpret_cast<shmem_team_t>(team));
      }
      if (rc != 0) raise(g_shmem_error, "sync(): shmem_team_sync failed (return code %d)", rc);
      return;
    }
#endif
    (void)team;
    raise(PyExc_NotImplementedError, "sync(): shmem_team_sync is not available in the "
                                     "OpenSHMEM library shmem4py was built with");
  });

  m.def("team_world", []() -> uintptr_t {
#if SHMEM4PY_HAVE_TEAMS
    return reinterpret_cast<uintptr_t>(SHMEM_TEAM_WORLD);
#else
    return 0;
#endif
  });
  m.def("team_shared", []() -> uintptr_t {
#if SHMEM4PY_HAVE_TEAMS
    return reinterpret_cast<uintptr_t>(SHMEM_TEAM_SHARED);
#else
    return 0;
#endif
  });
  m.def("ctx_default", []() { return reinterpret_cast<uintptr_t>(SHMEM_CTX_DEFAULT); });

  m.def("has", [](const std::string &what) -> bool {
#define HAS(NAME, HAVE, SYM)                                                   \
  if (what == NAME) return AVAILABLE_IF(HAVE, SYM);
    HAS("teams", SHMEM4PY_HAVE_TEAMS, shmem_team_split_strided)
    HAS("split_2d", SHMEM4PY_HAVE_TEAM_SPLIT_2D, shmem_team_split_2d)
    HAS("team_sync", SHMEM4PY_HAVE_TEAM_SYNC, shmem_team_sync)
    HAS("ctx", SHMEM4PY_HAVE_CTX, shmem_ctx_create)
    HAS("team_ctx", SHMEM4PY_HAVE_TEAM_CTX, shmem_team_create_ctx)
    HAS("ctx_get_team", SHMEM4PY_HAVE_CTX_GET_TEAM, shmem_ctx_get_team)
    HAS("signal", SHMEM4PY_HAVE_SIGNAL, shmem_signal_fetch)
    HAS("collectives", SHMEM4PY_HAVE_TEAM_COLL, shmem_broadcastmem)
    HAS("reductions", SHMEM4PY_HAVE_TEAM_REDUCE, shmem_int_sum_reduce)
    HAS("ibput", SHMEM4PY_HAVE_IBPUT, shmem_ctx_int_ibput)
    HAS("signal_add", SHMEM4PY_HAVE_SIGNAL_ADD, shmem_ctx_signal_add)
    HAS("pe_quiet", SHMEM4PY_HAVE_PE_QUIET, shmem_ctx_pe_quiet)
    HAS("query_initialized", SHMEM4PY_HAVE_QUERY_INIT, shmem_query_initialized)
    HAS("session", SHMEM4PY_HAVE_SESSION, shmem_ctx_session_start)
    HAS("scan", SHMEM4PY_HAVE_SCAN, shmem_int_sum_inscan)
    HAS("team_ptr", SHMEM4PY_HAVE_TEAM_PTR, shmem_team_ptr)
#undef HAS
    return false;
  });

#if SHMEM4PY_HAVE_TEAMS
  m.def("team_my_pe", [](uintptr_t t) {
    require_routine("Team.my_pe", AVAILABLE(shmem_team_my_pe),
                    "Team.my_pe(): not available");
    return shmem_team_my_pe(reinterpret_cast<shmem_team_t>(t));
  });
  m.def("team_n_pes", [](uintptr_t t) {
    require_routine("Team.n_pes", AVAILABLE(shmem_team_n_pes),
                    "Team.n_pes(): not available");
    return shmem_team_n_pes(reinterpret_cast<shmem_team_t>(t));
  });
  m.def("team_get_config", [](uintptr_t t) {
    require_routine("Team.get_config", AVAILABLE(shmem_team_get_config),
                    "Team.get_config(): not available");
    shmem_team_config_t cfg{};
    int rc = shmem_team_get_config(reinterpret_cast<shmem_team_t>(t), SHMEM_TEAM_NUM_CONTEXTS, &cfg);
    if (rc != 0) raise(g_shmem_error, "Team.get_config(): shmem_team_get_config failed (return code %d)", rc);
    return cfg.num_contexts;
  });
  m.def("team_translate_pe", [](uintptr_t src, int pe, uintptr_t dst) {
    require_routine("Team.translate_pe", AVAILABLE(shmem_team_translate_pe),
                    "Team.translate_pe(): not available");
    return shmem_team_translate_pe(reinterpret_cast<shmem_team_t>(src), pe,
                                   reinterpret_cast<shmem_team_t>(dst));
  });
  m.def("team_split_strided", [](uintptr_t parent, int start, int stride, int size,
                                 int num_contexts) {
    require_routine("split_strided", AVAILABLE(shmem_team_split_strided),
                    "Team.split_strided(): shmem_team_split_strided is "
                    "not available in the OpenSHMEM library shmem4py "
                    "was built with");
    shmem_team_config_t cfg{};
    cfg.num_contexts = num_contexts;
    shmem_team_t t = SHMEM_TEAM_INVALID;
    int rc;
    {
      nb::gil_scoped_release nogil;
      rc = shmem_team_split_strided(reinterpret_cast<shmem_team_t>(parent), start, stride,
                                    size, &cfg, num_contexts >= 0 ? SHMEM_TEAM_NUM_CONTEXTS : 0,
                                    &t);
    }
    return nb::make_tuple(rc, reinterpret_cast<uintptr_t>(t));
  });
  m.def("team_destroy", [](uintptr_t t) {
    require_routine("Team.destroy", AVAILABLE(shmem_team_destroy),
                    "Team.destroy(): not available");
    nb::gil_scoped_release nogil;
    shmem_team_destroy(reinterpret_cast<shmem_team_t>(t));
  });
#else
  for (const char *name : {"team_my_pe", "team_n_pes", "team_get_config", "team_translate_pe",
                           "team_split_strided", "team_destroy"})
    m.def(name, [](nb::args) {
      raise(PyExc_NotImplementedError, "teams (OpenSHMEM 1.5) are not available in the "
                                       "OpenSHMEM library shmem4py was built with");
    });
#endif
#if SHMEM4PY_HAVE_TEAM_SPLIT_2D
  m.def("team_split_2d", [](uintptr_t parent, int xrange, int xnc, int ync) {
    require_routine("split_2d", AVAILABLE(shmem_team_split_2d),
                    "Team.split_2d(): shmem_team_split_2d is not "
                    "available in the OpenSHMEM library shmem4py was "
                    "built with");
    shmem_team_config_t xc{}, yc{};
    xc.num_contexts = xnc;
    yc.num_contexts = ync;
    shmem_team_t x = SHMEM_TEAM_INVALID, y = SHMEM_TEAM_INVALID;
    int rc;
    {
      nb::gil_scoped_release nogil;
      rc = shmem_team_split_2d(reinterpret_cast<shmem_team_t>(parent), xrange, &xc,
                               xnc >= 0 ? SHMEM_TEAM_NUM_CONTEXTS : 0, &x, &yc,
                               ync >= 0 ? SHMEM_TEAM_NUM_CONTEXTS : 0, &y);
    }
    return nb::make_tuple(rc, reinterpret_cast<uintptr_t>(x), reinterpret_cast<uintptr_t>(y));
  });
#else
  m.def("team_split_2d", [](nb::args) {
    raise(PyExc_NotImplementedError, "Team.split_2d(): shmem_team_split_2d is not available "
                                     "in the OpenSHMEM library shmem4py was built with");
  });
#endif
  // options: CTX flags of Python (SERIALIZED 1, PRIVATE 2, NOSTORE 4).
  m.def("ctx_create", [](long py_options, uintptr_t team) -> nb::tuple {
    require_active("Ctx.create");
    const long options = (py_options & 1 ? SHMEM_CTX_SERIALIZED : 0) |
                         (py_options & 2 ? SHMEM_CTX_PRIVATE : 0) |
                         (py_options & 4 ? SHMEM_CTX_NOSTORE : 0);
    shmem_ctx_t c = SHMEM_CTX_INVALID;
    int rc = -1;
    if (team) {
      if (!AVAILABLE_IF(SHMEM4PY_HAVE_TEAM_CTX, shmem_team_create_ctx))
        raise(PyExc_NotImplementedError, "Ctx.create(): shmem_team_create_ctx is not available");
#if SHMEM4PY_HAVE_TEAM_CTX
      rc = shmem_team_create_ctx(reinterpret_cast<shmem_team_t>(team), options, &c);
#endif
    } else {
      if (!AVAILABLE_IF(SHMEM4PY_HAVE_CTX, shmem_ctx_create))
        raise(PyExc_NotImplementedError, "Ctx.create(): shmem_ctx_create is not available");
#if SHMEM4PY_HAVE_CTX
      rc = shmem_ctx_create(options, &c);
#endif
    }
    return nb::make_tuple(rc, reinterpret_cast<uintptr_t>(c));
  });
  m.def("ctx_destroy", [](uintptr_t c) {
    require_routine("Ctx.destroy", AVAILABLE_IF(SHMEM4PY_HAVE_CTX, shmem_ctx_destroy),
                    "Ctx.destroy(): shmem_ctx_destroy is not available");
#if SHMEM4PY_HAVE_CTX
    shmem_ctx_destroy(reinterpret_cast<shmem_ctx_t>(c));
#else
    (void)c;
#endif
  });
  m.def("ctx_get_team", [](uintptr_t c) -> uintptr_t {
    require_routine("Ctx.get_team", AVAILABLE_IF(SHMEM4PY_HAVE_CTX_GET_TEAM, shmem_ctx_get_team),
                    "Ctx.get_team(): shmem_ctx_get_team is not available");
#if SHMEM4PY_HAVE_CTX_GET_TEAM
    shmem_team_t t = SHMEM_TEAM_INVALID;
    int rc = shmem_ctx_get_team(reinterpret_cast<shmem_ctx_t>(c), &t);
    return rc == 0 ? reinterpret_cast<uintptr_t>(t) : 0;
#else
    (void)c;
    return 0;  // not reached: require_routine raised
#endif
  });
  m.def("fence_all", []() { shmem_fence(); });
  // Sessions (1.6).  options: CTX_SESSION flags of Python (BATCH 1);
  // total_ops < 0: not given (the config's mask leaves it out).
  m.def("ctx_session_start", [](uintptr_t c, long py_options, long long total_ops) {
    require_active("Ctx.session_start");
#if SHMEM4PY_HAVE_SESSION
    if (AVAILABLE(shmem_ctx_session_start)) {
      shmem_ctx_session_config_t cfg{};
      cfg.total_ops = total_ops < 0 ? 0 : static_cast<size_t>(total_ops);
      shmem_ctx_session_start(reinterpret_cast<shmem_ctx_t>(c),
                              py_options & 1 ? SHMEM_CTX_SESSION_BATCH : 0, &cfg,
                              total_ops < 0 ? 0 : SHMEM_CTX_SESSION_TOTAL_OPS);
      return;
    }
#endif
    (void)c, (void)py_options, (void)total_ops;
    raise(PyExc_NotImplementedError, "Ctx.session_start(): shmem_ctx_session_start "
                                     "(OpenSHMEM 1.6) is not available in the OpenSHMEM "
                                     "library shmem4py was built with");
  });
  m.def("ctx_session_stop", [](uintptr_t c) {
    require_active("Ctx.session_stop");
#if SHMEM4PY_HAVE_SESSION
    if (AVAILABLE(shmem_ctx_session_stop)) {
      shmem_ctx_session_stop(reinterpret_cast<shmem_ctx_t>(c));
      return;
    }
#endif
    (void)c;
    raise(PyExc_NotImplementedError, "Ctx.session_stop(): shmem_ctx_session_stop "
                                     "(OpenSHMEM 1.6) is not available in the OpenSHMEM "
                                     "library shmem4py was built with");
  });
}

} // namespace shmem4py
