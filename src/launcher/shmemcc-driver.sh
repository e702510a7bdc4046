# The part of shmemcc / shmemc++ shared by the build-tree wrapper
# (shmemcc.in) and the installed one (shmemcc-installed): CMake pastes it
# into both where they say @SHMEMCC_DRIVER@.  It expects $cc (the compiler
# command, possibly several words such as "ccache gcc"), $inc and $lib (the
# folders of shmem.h and libshmem.so) and $version.
tool=$(basename "$0")

# Words as a shell reads them back, so that -show output can be pasted.
shq() {
  case $1 in
    '' | *[!A-Za-z0-9_./=:,+@%^-]*) printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")" ;;
    *) printf '%s' "$1" ;;
  esac
}
show_words() {
  sep=""
  for w do printf '%s' "$sep"; shq "$w"; sep=" "; done
  printf '\n'
}

# The wrapper's own options (the spellings of mpicc and Open MPI's oshcc)
# are taken out; everything else goes to the compiler unchanged.
show="" want_version=0 compile_only=0
for a do
  shift
  case $a in
    -show | -showme | --showme) show=all ;;
    -showme:compile | --showme:compile) show=compile ;;
    -showme:link | --showme:link) show=link ;;
    -showme:command | --showme:command) show=command ;;
    -showme:incdirs | --showme:incdirs) show=incdirs ;;
    -showme:libdirs | --showme:libdirs) show=libdirs ;;
    -showme:version | --showme:version) show=version ;;
    -showme:* | --showme:*)
      echo "$tool: unknown option '$a' (known: -show, --showme, --showme:compile, --showme:link," \
        "--showme:command, --showme:incdirs, --showme:libdirs, --showme:version)" >&2
      exit 2 ;;
    --version) want_version=1 ;;
    *)
      case $a in -c | -E | -S | -M | -MM | -fsyntax-only) compile_only=1 ;; esac
      set -- "$@" "$a" ;;
  esac
done

# $cc is split into words on purpose (CC="ccache gcc"), but never globbed.
set -f
case $show in
  compile) show_words "-I$inc"; exit 0 ;;
  link) show_words "-L$lib" "-Wl,-rpath,$lib" -lshmem; exit 0 ;;
  command) echo "$cc"; exit 0 ;;
  incdirs) show_words "$inc"; exit 0 ;;
  libdirs) show_words "$lib"; exit 0 ;;
  version) echo "$tool (shmem4py) $version"; exit 0 ;;
esac
if [ "$want_version" = 1 ] && [ -z "$show" ]; then
  echo "$tool (shmem4py) $version"
  # The compiler's own first line names it and its version, as gcc and
  # clang print them.
  first=$($cc --version 2>&1 | sed -n 1p)
  echo "${first:-$tool: the compiler '$cc' printed no version}"
  exit 0
fi
if [ "$want_version" = 1 ]; then set -- --version "$@"; fi
if [ "$compile_only" = 1 ]; then
  set -- "-I$inc" "$@"
else
  set -- "-I$inc" "$@" "-L$lib" "-Wl,-rpath,$lib" -lshmem
fi
if [ "$show" = all ]; then
  printf '%s ' $cc
  show_words "$@"
  exit 0
fi
exec $cc "$@"
