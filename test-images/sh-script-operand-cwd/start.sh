# run two services, forward the stop signal to both and wait for them
trap 'kill -TERM "$a" "$b"; wait "$a"; wait "$b"; exit 0' TERM
redis-server &
a=$!
memcached -u root &
b=$!
wait
