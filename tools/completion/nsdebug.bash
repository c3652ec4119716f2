# bash completion for nsdebug. Subcommands and options come from nsdebug's own --help, signal
# names from `nsdebug kill -l`, and live container names and PIDs from `nsdebug containers` and
# `nsdebug ps` (so node mode's --target/--pod given on the line are passed along). No jq.
# Install: /usr/share/bash-completion/completions/nsdebug, or `source` it.

# The words of the `Subcommands:` or `Options:` section of `nsdebug [SUB] --help`.
_nsdebug_help_words() {  # $1: section (Subcommands|Options), $2...: nsdebug argv before --help
  local section=$1
  shift
  "$@" --help 2>/dev/null | awk -v s="$section:" '
    $0 == s { on = 1; next }
    /^[A-Z][a-z]*:/ { on = 0 }
    on && /^  [^ ]/ { n = split($1, a, ","); for (i = 1; i <= n; i++) print a[i] }'
}

_nsdebug_containers() { "$@" containers --no-headers 2>/dev/null | awk '{print $1}'; }
_nsdebug_pids() { "$@" ps --no-headers -o pid 2>/dev/null | awk '{print $1}'; }

_nsdebug() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  local nsdebug=(${COMP_WORDS[0]}) sub="" i w
  # The node-mode options before the subcommand, and which subcommand it is.
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=${COMP_WORDS[i]}
    case $w in
      --target|--pod) nsdebug+=("$w" "${COMP_WORDS[i+1]}"); ((i++)) ;;
      -*) ;;
      *) sub=$w; break ;;
    esac
  done
  if [[ -z $sub ]]; then
    case $prev in
      --target) mapfile -t COMPREPLY < <(compgen -W "$(_nsdebug_pids "${nsdebug[0]}")" -- "$cur"); return ;;
      --pod) mapfile -t COMPREPLY < <(compgen -W "$("${nsdebug[0]}" pods --no-headers 2>/dev/null | awk '{print $1}')" -- "$cur"); return ;;
    esac
    local words
    if [[ $cur == -* ]]; then words=$(_nsdebug_help_words Options "${nsdebug[@]}")
    else words=$(_nsdebug_help_words Subcommands "${nsdebug[@]}"); fi
    mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
    return
  fi
  case $prev in
    -s|--signal) mapfile -t COMPREPLY < <(compgen -W "$("${nsdebug[@]}" kill -l 2>/dev/null)" -- "$cur"); return ;;
    -p|--pid) mapfile -t COMPREPLY < <(compgen -W "$(_nsdebug_pids "${nsdebug[@]}")" -- "$cur"); return ;;
    -c|--container) mapfile -t COMPREPLY < <(compgen -W "$(_nsdebug_containers "${nsdebug[@]}")" -- "$cur"); return ;;
    -f|--file) mapfile -t COMPREPLY < <(compgen -f -- "$cur"); return ;;
  esac
  if [[ $cur == -* ]]; then
    local opts
    opts=$(_nsdebug_help_words Options "${nsdebug[@]}" "$sub")
    # kill -TERM, -HUP: the signal as an option, as kill(1) takes it
    [[ $sub == kill ]] && opts+=" $("${nsdebug[@]}" kill -l 2>/dev/null | tr ' ' '\n' | sed 's/^/-/')"
    mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
    return
  fi
  case $sub in
    kill|env|inspect|threads)
      mapfile -t COMPREPLY < <(compgen -W "$(_nsdebug_pids "${nsdebug[@]}")" -- "$cur") ;;
    cat|ls|stat|tail|cp|tar)
      # TARGET:PATH: a container name or pod PID, then a colon (bash splits words at ':').
      if [[ $cur != *:* && ${COMP_WORDS[COMP_CWORD+1]:-} != : ]]; then
        mapfile -t COMPREPLY < <(compgen -S : -W "$(_nsdebug_containers "${nsdebug[@]}") $(_nsdebug_pids "${nsdebug[@]}")" -- "$cur")
        compopt -o nospace 2>/dev/null
      fi ;;
  esac
}
complete -F _nsdebug nsdebug
