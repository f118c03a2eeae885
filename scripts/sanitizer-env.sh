# Sourced by scripts/test.sh and scripts/fuzz.sh (and by hand before running ctest or a fuzz
# target in a sanitizer build dir): every report fails the process at once, with a stack.
#   source scripts/sanitizer-env.sh
_mirror_repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# detect_leaks: LeakSanitizer at exit. check_initialization_order/strict_init_order: static
# initialisation order bugs across files. halt_on_error: the first report ends the process.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:check_initialization_order=1:strict_init_order=1:halt_on_error=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# second_deadlock_stack: both stacks of a lock-order inversion. The suppressions are false
# positives in uninstrumented system libraries, each entry explained in the file.
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:suppressions=$_mirror_repo/tests/sanitizers/tsan.supp}
unset _mirror_repo
