#!/usr/bin/env bash
# The layers as three sources must agree, module by module: the README's "may use" table, the
# DEPS of each mirror_module() in CMakeLists.txt (what the build enforces, cmake/modules.cmake),
# and the modules the sources under lib/<module>/ actually include. Also: no file under lib/
# is longer than 400 lines (split by concern instead). Prints every mismatch; exit 1 on any.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
fail=0

# README: "| `api` | json, model, render, store |" rows of the table after "| module | may use".
readme_deps() {
  awk -v m="$1" '
    /^\| module \| may use/ { in_table = 1; next }
    in_table && !/^\|/ { exit }
    in_table && $0 ~ "^\\| `" m "` \\|" {
      split($0, cells, "|"); deps = cells[3]; gsub(/[ —]/, "", deps); gsub(/,/, " ", deps); print deps
    }' README.md | tr ' ' '\n' | sed '/^$/d' | sort -u | tr '\n' ' '
}

# CMakeLists.txt: mirror_module(<m> DEPS a b ... [LIBS ...]), possibly over two lines.
cmake_deps() {
  awk -v m="$1" '
    $0 ~ "^mirror_module\\(" m "[ )]" { grab = 1 }
    grab { text = text " " $0; if ($0 ~ /\)/) { grab = 0 } }
    END {
      if (match(text, /DEPS [^)]*/)) {
        deps = substr(text, RSTART + 5, RLENGTH - 5); sub(/ LIBS.*| SOURCES.*/, "", deps); print deps
      }
    }' CMakeLists.txt | tr ' ' '\n' | sed '/^$/d' | sort -u | tr '\n' ' '
}

include_deps() {
  grep -rhoE '#include "[a-z_]+/' "lib/$1" | sed -E 's/#include "([a-z_]+)\//\1/' | grep -vx "$1" | sort -u | tr '\n' ' ' || true
}

modules=$(ls lib)
for m in $modules; do
  r=$(readme_deps "$m"); c=$(cmake_deps "$m"); i=$(include_deps "$m")
  if ! grep -q "^| \`$m\` |" README.md; then echo "layers: $m is missing from the README table"; fail=1; continue; fi
  if ! grep -qE "^mirror_module\($m[ )]" CMakeLists.txt; then echo "layers: $m has no mirror_module() in CMakeLists.txt"; fail=1; continue; fi
  [[ $r == "$c" ]] || { echo "layers: $m: README says [${r% }], CMakeLists.txt links [${c% }]"; fail=1; }
  [[ $i == "$c" ]] || { echo "layers: $m: the sources include [${i% }], CMakeLists.txt links [${c% }]"; fail=1; }
done

while read -r lines file; do
  [[ $file == total ]] && continue
  if ((lines > 400)); then echo "layers: $file has $lines lines (at most 400: split it by concern)"; fail=1; fi
done < <(find lib -name '*.?pp' -print0 | xargs -0 wc -l)

((fail == 0)) && echo "layers: $(wc -w <<<"$modules") modules agree (README, CMake, includes); no file under lib/ over 400 lines"
exit "$fail"
