# The SMTP ceiling the sending benchmarks compare against (../shared/reference/limits.md):
# postfix's smtp-source into the same smtp-sink, with the same sessions and message size.
# Sourced by scripts/bench/send, smtp and tx.

# smtp_ceiling SESSIONS COUNT SIZE PORT [new]: prints the median msg/s of three smtp-source runs.
# By default with reused sessions (-d: many messages per connection), the ceiling for every
# sender that keeps its connections open; "new" measures one connection per message instead,
# which is only a labelled side figure.
smtp_ceiling() {
  local sessions=$1 count=$2 size=$3 port=$4 mode=${5:-reused} reuse=-d rates=() t0 t1
  [ "$mode" = new ] && reuse=
  for _ in 1 2 3; do
    t0=$(date +%s.%N)
    smtp-source $reuse -s "$sessions" -m "$count" -l "$size" "127.0.0.1:$port" >&2
    t1=$(date +%s.%N)
    rates+=("$(python3 -c "print(round($count/($t1-$t0)))")")
  done
  printf '%s\n' "${rates[@]}" | sort -n | sed -n 2p
}
