%% SPDX-License-Identifier: ISC
%% @doc The README's demo: a rootless container doing real work, its output streamed live.
-module(nook_demo).

-export([main/0]).

-define(SCRIPT, "
echo \"== who and where: uid $(id -u) ($(whoami)), host $(hostname), pid $$\"
echo \"== bounded: $(ulimit -p) processes, $(ulimit -n) open files, $(ulimit -d) KiB of data\"
echo '== processes (only the container'\"'\"'s):'; ps -e -o pid,comm
echo '== network (only lo):'; ip -brief link 2>/dev/null || cat /proc/net/dev
echo '== the root is read-only:'; touch /usr/nook-was-here 2>&1 || true
echo '== /tmp is private and small:'; df -h /tmp | tail -1
echo '== real work: checksums of the programs in /bin, counted per first hex digit'
sha256sum /bin/* 2>/dev/null | cut -c1 | sort | uniq -c | tr '\\n' ' '; echo
echo '== and a job left running in the background, killed with the container'
sleep 1000 &
echo done
").

main() ->
    io:format("nook ~s: a rootless container, run as uid ~s~n",
              [element(3, lists:keyfind(nook, 1, application:loaded_applications())),
               string:trim(os:cmd("id -u"))]),
    Root = filename:join(os:getenv("HOME", "/tmp"), "nook-demo-root"),
    {ok, S} = nook_stream:open(?SCRIPT, nook_rootless, [{path, Root}]),
    stream(S),
    ok = nook_stream:close(S),
    io:format("container closed: everything in it was killed and reaped~n").

stream(S) ->
    case nook_stream:recv(S, 10000) of
        {ok, Events} ->
            [show(E) || E <- Events],
            stream(S);
        eof ->
            ok;
        {error, timeout} ->
            io:format("(no output for 10 s)~n")
    end.

show({stdout, Bin}) -> io:put_chars(Bin);
show({stderr, Bin}) -> io:put_chars(["  stderr: ", Bin]);
show(Exit) -> io:format("exit: ~p~n", [Exit]).
