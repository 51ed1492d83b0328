%% SPDX-License-Identifier: ISC
%% @doc Where a rootless start's time goes: nook_stream:run("true", nook_rootless, [])'s
%% steps timed one by one (median of N, ms): the port and its supervisor (task/1), clone, id
%% maps and fork (init/1), the ops, exec, the program's run to its exit status, and stop.
%% Run as the user who makes containers:
%%   erlc -o _build/bench bench/phases.erl &&
%%   erl -noshell -pa _build/default/lib/nook/ebin -pa _build/bench -eval 'phases:main(21), halt().'
-module(phases).

-export([main/1]).

-spec main(pos_integer()) -> ok.
main(N) ->
    {ok, _} = nook_stream:run("true", nook_rootless, []),
    Runs = [one() || _ <- lists:seq(1, N)],
    Names = ["port", "init", "ops", "exec", "exit", "stop", "total"],
    io:format("~s~n", [lists:join(" ", [io_lib:format("~s ~.1f", [Name, median([lists:nth(I, R) || R <- Runs]) / 1000])
                                        || {I, Name} <- lists:enumerate(Names)])]).

one() ->
    T0 = now_us(),
    {ok, Sup} = nook_rootless:task([]),
    T1 = now_us(),
    {ok, Tasks, Info} = (nook_rootless:init([]))(Sup),
    T2 = now_us(),
    Task = lists:last(Tasks),
    {ok, _} = nook_op:run(Task, nook_rootless:ops([], Info)),
    T3 = now_us(),
    true = nook:setcpid(Task, flowcontrol_bytes, 0),
    ok = nook:execve(Task, "/bin/sh", ["/bin/sh", "-c", "true"], nook_rootless:environ([])),
    T4 = now_us(),
    %% false once `true' has exited: its news is on the way.
    _ = nook:setcpid(Task, flowcontrol_grant, 65536),
    receive {exit_status, Task, 0} -> ok after 10000 -> exit(no_exit_status) end,
    T5 = now_us(),
    nook_behaviour:stop(#{behaviour => nook_rootless, config => [], supervisor => Sup,
                          tasks => Tasks, info => Info}),
    T6 = now_us(),
    [T1 - T0, T2 - T1, T3 - T2, T4 - T3, T5 - T4, T6 - T5, T6 - T0].

now_us() -> erlang:monotonic_time(microsecond).

median(L) -> lists:nth(length(L) div 2 + 1, lists:sort(L)).
