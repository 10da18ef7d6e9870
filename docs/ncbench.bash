# bash completion for ncbench: commands, options, and the values of
# --workload, --cipher, --backend, --imix and the workloads' choice
# options (--io, --framing, ...). Every word comes from the binary
# (`ncbench complete ...`, from the tables its parsers use), so nothing
# here goes stale. `make install` puts it in
# $(PREFIX)/share/bash-completion/completions/ncbench; or source it.

_ncbench() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev= opt= cmd bin words list
	local i=$((COMP_CWORD - 1))

	bin=${COMP_WORDS[0]}
	COMPREPLY=()
	if [ "$COMP_CWORD" -le 1 ]; then
		words=$("$bin" complete commands 2>/dev/null)
		mapfile -t COMPREPLY < <(compgen -W "$words --help --version" -- "$cur")
		return
	fi
	cmd=${COMP_WORDS[1]}
	[ "$i" -ge 1 ] && prev=${COMP_WORDS[i]}
	# "--io=ep": bash splits at '=', so the option is two words back, or
	# one back while nothing follows the '='.
	if [ "$cur" = "=" ]; then
		opt=$prev cur=
	elif [ "$prev" = "=" ] && [ "$i" -ge 2 ]; then
		opt=${COMP_WORDS[i - 1]}
	fi
	list=$("$bin" complete options "$cmd" 2>/dev/null) || return
	# An option that takes a value, as the previous word: complete that.
	if [ -z "$opt" ] && [[ $prev == -* ]] && grep -qxF -- "$prev=" <<<"$list"; then
		opt=$prev
	fi
	if [ -n "$opt" ]; then
		words=$("$bin" complete values "$opt" 2>/dev/null)
		if [ -z "$words" ]; then
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
			return
		fi
		# Comma lists (-c aes-128-gcm,cha): complete the last name.
		local head=
		[[ $cur == *,* ]] && head=${cur%,*}, cur=${cur##*,}
		mapfile -t COMPREPLY < <(compgen -P "$head" -W "$words" -- "$cur")
		return
	fi
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(sed 's/=$//' <<<"$list")" -- "$cur")
		return
	fi
	mapfile -t COMPREPLY < <(compgen -f -- "$cur")
}

complete -o filenames -F _ncbench ncbench
