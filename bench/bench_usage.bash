# Sourced first by every bench/*.sh with the script's arguments: --help
# (or -h) prints the script's opening comment, which says what it
# measures and which environment variables it reads, and exits 0; the
# scripts take no arguments, so any other is refused with exit 2.
case ${1:-} in
'') ;;
-h | --help)
	echo "usage: [VAR=VALUE ...] ${0#./}   (make runs it; settings are environment variables)"
	sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"
	exit 0
	;;
*)
	echo "${0##*/}: unknown argument '$1' (takes none; see --help)" >&2
	exit 2
	;;
esac
