%% SPDX-License-Identifier: ISC
%% @doc Helpers shared by the suites: collecting a task's output (or a stream's events) and
%% checking that OS processes are gone.
-module(nook_test_lib).

-export([userns_or_skip/1, root_or_skip/1, case_root/2, until/2, collect/2, marker/0, marked_pids/1, await_gone/3, await_dead/3, exists/1,
         descendants/1, ppid/1, events/1, await_marked/2]).

%% How long the suites wait for something that should happen at once; only a failure guard.
-define(GUARD_MS, 5000).

%% @doc Config, or `{skip, Why}' when the kernel refuses an unprivileged user namespace
%% here (with the mount, PID, UTS, IPC and network namespaces a container asks for):
%% rootless cases say so rather than fail one by one.
-spec userns_or_skip(list()) -> list() | {skip, string()}.
userns_or_skip(Config) ->
    {ok, Root} = nook:fork(),
    Probe = nook:clone(Root, [clone_newuser, clone_newns, clone_newpid, clone_newuts,
                              clone_newipc, clone_newnet]),
    ok = nook:stop(Root),
    case Probe of
        {ok, _} -> Config;
        {error, Errno} ->
            {skip, lists:flatten(io_lib:format("the kernel refuses a user namespace here: ~p", [Errno]))}
    end.

%% @doc Config, or `{skip, Why}' when the port's programs do not run as root (euid 0): for
%% the groups of cases that need it.
-spec root_or_skip(list()) -> list() | {skip, string()}.
root_or_skip(Config) ->
    {ok, Root} = nook:fork(),
    Euid = nook:geteuid(Root),
    ok = nook:stop(Root),
    case Euid of
        0 -> Config;
        _ -> {skip, lists:flatten(io_lib:format("needs euid 0; the BEAM runs as ~b", [Euid]))}
    end.

%% @doc A container root of the case's own under the suite's priv_dir, made (and checked) by
%% nook_rootless:make_root/1 as whoever runs the suite: its path.
-spec case_root(atom(), list()) -> file:filename().
case_root(Case, Config) ->
    Root = filename:join([proplists:get_value(priv_dir, Config), atom_to_list(Case), "root"]),
    ok = filelib:ensure_dir(Root),
    ok = nook_rootless:make_root(Root),
    Root.

%% @doc Wait until Fun() is true: ok, or timeout after Ms (a failure guard, no verdict).
-spec until(fun(() -> boolean()), integer()) -> ok | timeout.
until(Fun, Ms) ->
    case Fun() of
        true -> ok;
        false when Ms =< 0 -> timeout;
        false -> timer:sleep(20), until(Fun, Ms - 20)
    end.

%% @doc stdout and stderr of Task until its exit_status or termsig:
%% {Stdout, Stderr, Exit}.
-spec collect(pid(), non_neg_integer()) -> {binary(), binary(), term()}.
collect(Task, Timeout) -> collect(Task, Timeout, <<>>, <<>>).

collect(Task, Timeout, Out, Err) ->
    receive
        {stdout, Task, B} -> collect(Task, Timeout, <<Out/binary, B/binary>>, Err);
        {stderr, Task, B} -> collect(Task, Timeout, Out, <<Err/binary, B/binary>>);
        {exit_status, Task, N} -> {Out, Err, {exit_status, N}};
        {termsig, Task, S} -> {Out, Err, {termsig, S}}
    after Timeout -> {Out, Err, timeout}
    end.

%% @doc nook_stream's events folded: {Stdout, Stderr, End}, End being the last event. Fails
%% unless every event before the last is output and the last one is not: an exit, a signal
%% or a timeout comes once, at the end.
-spec events([nook_stream:event()]) -> {binary(), binary(), nook_stream:event()}.
events(Events) ->
    Kinds = [kind(E) || E <- Events],
    {Output, End} = lists:split(length(Kinds) - 1, Kinds),
    case lists:usort(Output) ++ End of
        [output, ending] -> ok;
        [ending] -> ok;
        _ -> error({bad_order, summary(Events)}) % output may be big: not all of it
    end,
    {<< <<B/binary>> || {stdout, B} <- Events >>, << <<B/binary>> || {stderr, B} <- Events >>,
     lists:last(Events)}.

kind({Stream, Bin}) when (Stream =:= stdout orelse Stream =:= stderr), is_binary(Bin) -> output;
kind(_) -> ending.

%% Events with output as its size, runs of output counted: [{output, Events, Bytes} | End].
summary(Events) ->
    lists:reverse(lists:foldl(
                    fun({S, B}, [{output, N, Bytes} | Acc]) when S =:= stdout; S =:= stderr ->
                            [{output, N + 1, Bytes + byte_size(B)} | Acc];
                       ({S, B}, Acc) when S =:= stdout; S =:= stderr ->
                            [{output, 1, byte_size(B)} | Acc];
                       (E, Acc) ->
                            [E | Acc]
                    end, [], Events)).

%% @doc Wait until some process marked with Marker exists (a program just started may still
%% be between fork and exec); its OS pids, or {error, none} after Ms.
-spec await_marked(string(), non_neg_integer()) -> {ok, [non_neg_integer()]} | {error, none}.
await_marked(Marker, Ms) ->
    Deadline = erlang:monotonic_time(millisecond) + Ms,
    await_marked_until(Marker, Deadline).

await_marked_until(Marker, Deadline) ->
    case marked_pids(Marker) of
        [_ | _] = Pids ->
            {ok, Pids};
        [] ->
            case erlang:monotonic_time(millisecond) >= Deadline of
                true -> {error, none};
                false -> timer:sleep(10), await_marked_until(Marker, Deadline)
            end
    end.

%% @doc A string unique to this test run, to put in the environment of processes we start.
-spec marker() -> string().
marker() ->
    "NOOK_TEST_MARK=" ++ integer_to_list(erlang:unique_integer([positive])) ++ "_"
        ++ os:getpid().

%% @doc OS pids whose environment holds Marker.
-spec marked_pids(string()) -> [non_neg_integer()].
marked_pids(Marker) ->
    Want = list_to_binary(Marker),
    {ok, Names} = file:list_dir("/proc"),
    [P || Name <- Names, {P, ""} <- [string:to_integer(Name)], is_integer(P),
          environ_has(P, Want)].

environ_has(Pid, Want) ->
    case file:read_file("/proc/" ++ integer_to_list(Pid) ++ "/environ") of
        {ok, Env} -> lists:member(Want, binary:split(Env, <<0>>, [global]));
        _ -> false
    end.

%% @doc True while /proc has the pid, as a live process or as a zombie.
-spec exists(non_neg_integer()) -> boolean().
exists(Pid) -> filelib:is_dir("/proc/" ++ integer_to_list(Pid)).

%% @doc Every descendant of an OS pid (children, their children, ...).
-spec descendants(non_neg_integer()) -> [non_neg_integer()].
descendants(Pid) ->
    {ok, Names} = file:list_dir("/proc"),
    Parents = [{P, ppid(P)} || Name <- Names, {P, ""} <- [string:to_integer(Name)], is_integer(P)],
    descend([Pid], Parents, []).

descend([], _, Acc) -> Acc;
descend([P | Rest], Parents, Acc) ->
    Kids = [C || {C, PP} <- Parents, PP =:= P],
    descend(Kids ++ Rest, Parents, Kids ++ Acc).

-spec ppid(non_neg_integer()) -> non_neg_integer() | undefined.
ppid(Pid) ->
    case file:read_file("/proc/" ++ integer_to_list(Pid) ++ "/stat") of
        {ok, Stat} ->
            [_, After] = string:split(Stat, ")", trailing),
            [_State, PPid | _] = string:lexemes(After, " "),
            binary_to_integer(PPid);
        _ ->
            undefined
    end.

%% @doc Wait until none of Pids and no process marked with Marker is alive; zombies left are
%% returned with their parents, for the caller to judge.
-spec await_dead([non_neg_integer()], string() | undefined, non_neg_integer()) ->
    {ok, [{non_neg_integer(), term()}]} | {error, [non_neg_integer()]}.
await_dead(Pids, Marker, Ms) ->
    Deadline = erlang:monotonic_time(millisecond) + Ms,
    await_dead_until(Pids, Marker, Deadline).

await_dead_until(Pids, Marker, Deadline) ->
    Present = [P || P <- Pids, exists(P)] ++
        case Marker of undefined -> []; _ -> marked_pids(Marker) end,
    Alive = [P || P <- Present, nook_procfs:alive(P)],
    case Alive of
        [] ->
            {ok, [{P, ppid(P)} || P <- lists:usort(Present), exists(P)]};
        _ ->
            case erlang:monotonic_time(millisecond) >= Deadline of
                true -> {error, lists:usort(Alive)};
                false -> timer:sleep(10), await_dead_until(Pids, Marker, Deadline)
            end
    end.

%% @doc Wait until none of Pids and no process marked with Marker exists (zombies count as
%% existing); {error, Remaining} if some still do after Ms.
-spec await_gone([non_neg_integer()], string() | undefined, non_neg_integer()) ->
    ok | {error, [non_neg_integer()]}.
await_gone(Pids, Marker, Ms) ->
    Deadline = erlang:monotonic_time(millisecond) + Ms,
    await_gone_until(Pids, Marker, Deadline).

await_gone_until(Pids, Marker, Deadline) ->
    Left = [P || P <- Pids, exists(P)] ++
        case Marker of undefined -> []; _ -> marked_pids(Marker) end,
    case Left of
        [] ->
            ok;
        _ ->
            case erlang:monotonic_time(millisecond) >= Deadline of
                true -> {error, lists:usort(Left)};
                false -> timer:sleep(10), await_gone_until(Pids, Marker, Deadline)
            end
    end.
