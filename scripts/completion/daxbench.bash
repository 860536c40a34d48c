# bash completion for daxbench. Commands and options come from daxbench's own
# --help texts (the source of its man pages too), the values of --accel,
# --backend, --fs, --clock, --status and --section from the message an invalid value
# gets ("--fs is ext4 or xfs, not ''"), so they follow the binary.
_daxbench_commands()
{
	"$1" --help 2>/dev/null | sed -n '/^Commands:/,/^$/s/^  \([^ ]\+\) .*/\1/p'
}

_daxbench()
{
	local cur prev bin cmd i words
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	bin=${COMP_WORDS[0]}
	type -P "$bin" >/dev/null 2>&1 || bin=daxbench
	cmd=
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done
	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "$(_daxbench_commands "$bin") help --help --version" -- "$cur"))
		return
	fi
	if [[ $cmd == help ]]; then
		((COMP_CWORD == i + 1)) &&
			COMPREPLY=($(compgen -W "$(_daxbench_commands "$bin")" -- "$cur"))
		return
	fi
	case $prev in
	--accel|--backend|--fs|--clock|--status|--section)
		words=$("$bin" "$cmd" "$prev" '' 2>&1 >/dev/null |
			sed -n "s/^daxbench: $prev is \(.*\), not ''\$/\1/p" | sed 's/,/ /g; s/ or / /')
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
		return ;;
	--db|--stream|--device|--recipe|--modules|--cache-dir|--kernel|--suite|--out|-o)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	esac
	if [[ $cur == -* ]]; then
		words=$("$bin" "$cmd" --help 2>/dev/null | grep -o -- '--[a-z][a-z0-9-]*' | sort -u)
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -f -- "$cur"))
}
complete -F _daxbench daxbench
