%% SPDX-License-Identifier: ISC
%% @doc The benchmark driver: runs the groups, prints one line per figure
%% (`name value unit ratio-to-baseline'), judges the targets and writes the run as JSON.
%% The helpers the groups share (medians, memory, the OS processes under this BEAM) are here.
%%
%% A figure names its baseline, a figure measured in the same run; a baseline's ratio is
%% 1.00; a figure whose baseline is zero, or that has none (counts, growth), has `-'.
-module(bench).

-export([main/1, child/3]).
-export([env/2, median/1, repeat/2, elapsed_us/1, gc_all/0, beam_memory/0, descendants/0,
         os_memory/1, note/2, fold_interleaved/3, pools/1, quiesce/2, within/3, rate/3,
         run_ok/3]).

-type row() :: #{name := string(), value := number(), unit := string(),
                 baseline => string()}.
-export_type([row/0]).

-define(GROUPS, [{"rtt", bench_rtt}, {"start", bench_start}, {"pool", bench_pool},
                 {"stdout", bench_stdout}, {"stall", bench_stall},
                 {"containers", bench_containers}, {"cluster", bench_cluster},
                 {"policy", bench_policy}, {"phases", phases}]).
%% How long a group may take before it is ended and reported (GROUP_TIMEOUT_S): a hang is
%% a failed group, never a bench that waits forever.
-define(GROUP_TIMEOUT_S, 3600).

%% Args: Groups ("all", "soak" or a comma-separated list of the names above), the
%% directory of the built helpers, the results directory and the run's stamp.
-spec main([string()]) -> no_return().
main([Groups, HelperDir, ResultsDir, Stamp]) ->
    Ctx = #{dir => HelperDir, repeats => env("REPEATS", 5), stamp => Stamp},
    %% latest.json and latest-soak.json are whole runs; a run of some groups is only stamped.
    {Name, Latest, Mods} =
        case Groups of
            "all" -> {"", true, [M || {_, M} <- ?GROUPS]};
            "soak" -> {"-soak", true, [bench_soak]};
            _ -> {"-" ++ lists:flatten(lists:join("-", string:lexemes(Groups, ","))), false,
                  [group(G) || G <- string:lexemes(Groups, ",")]}
        end,
    Header = header(Ctx),
    io:format("# nook benchmarks on ~s; ~s~n",
              [maps:get(host, Header), maps:get(load, Header)]),
    Ran = [{M, run_group(M, Ctx)} || M <- Mods],
    Rows = lists:append([R || {_, {ok, R}} <- Ran]),
    Failed = [M || {M, {error, _}} <- Ran],
    %% Every target of a group that ran is judged: one whose figure is missing is missed.
    Targets = [judge(T, Rows) || {Mod, _, _, _, _, _} = T <- targets(), lists:keymember(Mod, 1, Ran)],
    [io:format("# target ~s: ~s~n", [Label, verdict(Met, Shown)])
     || #{target := Label, met := Met, shown := Shown} <- Targets],
    _ = [io:format("# group ~s FAILED: no figures~n", [M]) || M <- Failed],
    Doc = Header#{figures => [json_row(R, Rows) || R <- Rows],
                  targets => [maps:remove(shown, T) || T <- Targets],
                  failed_groups => Failed,
                  notes => lists:reverse(get_notes())},
    File = filename:join(ResultsDir, Stamp ++ Name ++ ".json"),
    ok = filelib:ensure_dir(File),
    ok = file:write_file(File, json(Doc)),
    _ = [ok = file:write_file(filename:join(ResultsDir, "latest" ++ Name ++ ".json"), json(Doc))
         || Latest],
    io:format("# results: ~s~n", [File]),
    case {Failed, [L || #{leak := true, target := L} <- Targets]} of
        {[], []} -> halt(0);
        _ -> halt(1)
    end.

group(Name) ->
    case lists:keyfind(Name, 1, ?GROUPS) of
        {_, Mod} -> Mod;
        false -> io:format("bench: no group ~s; groups: ~s, soak~n",
                           [Name, lists:join(" ", [G || {G, _} <- ?GROUPS])]),
                 halt(2)
    end.

%% A group runs in a process of its own, watched: it may crash or hang without taking the
%% rest of the run with it. Its figures, or an error (noted).
run_group(Mod, Ctx) ->
    Ms = 1000 * env("GROUP_TIMEOUT_S", ?GROUP_TIMEOUT_S),
    Run = fun() ->
                  case fds_wanted(Mod, Ctx) of
                      ok -> Mod:run(Ctx);
                      {raise, Fds} -> in_child_beam(Mod, Ctx, Fds, Ms)
                  end
          end,
    Result = within(Ms, Mod, Run),
    %% Pools as by default for the next group, whatever this one left.
    ok = pools(on),
    case Result of
        {ok, Rows} ->
            [print(R, Rows) || R <- Rows],
            {ok, Rows};
        {error, Why} = Error ->
            note("~s FAILED: ~0P", [Mod, Why, 30]),
            Error
    end.

%% A round of a rate/3 that takes longer has hung: it fails rather than waits.
-define(ROUND_MS, 600000).

%% @doc nook_stream:run/3 of Cmd, which must exit 0.
-spec run_ok(iodata() | [iodata()], module(), list()) -> ok.
run_ok(Cmd, Behaviour, Config) ->
    {ok, Events} = nook_stream:run(Cmd, Behaviour, Config),
    {exit_status, 0} = lists:last(Events),
    ok.

%% @doc Runs per second: Runs runs of Fun (which asserts its own result), Callers at a time,
%% each caller's back to back.
-spec rate(fun(() -> term()), pos_integer(), pos_integer()) -> float().
rate(Fun, Runs, Callers) ->
    Self = self(),
    T0 = erlang:monotonic_time(microsecond),
    Pids = [spawn_link(fun() -> caller(Fun, share(I, Runs, Callers)), Self ! {done, self()} end)
            || I <- lists:seq(1, Callers)],
    Deadline = erlang:monotonic_time(millisecond) + ?ROUND_MS,
    _ = [receive {done, P} -> ok
         after max(Deadline - erlang:monotonic_time(millisecond), 0) -> erlang:error({rate, timeout})
         end || P <- Pids],
    Runs / ((erlang:monotonic_time(microsecond) - T0) / 1.0e6).

caller(_Fun, 0) -> ok;
caller(Fun, N) -> _ = Fun(), caller(Fun, N - 1).

%% Caller I's share of Runs.
share(I, Runs, Callers) -> Runs div Callers + case I =< Runs rem Callers of true -> 1; false -> 0 end.

%% @doc Fun run in a process of its own, waited for at most Ms: `{ok, Result}', or
%% `{error, {timeout, What}}' (the process killed, and what it linked to with it) or
%% `{error, {crashed, Reason}}'. Notes it made are kept.
-spec within(timeout(), term(), fun(() -> T)) -> {ok, T} | {error, term()}.
within(Ms, What, Fun) ->
    {Pid, Ref} = spawn_monitor(fun() ->
                                       Result = try {ok, Fun()}
                                                catch C:R:S -> {crashed, {C, R, S}}
                                                end,
                                       exit({within, Result, get_notes()})
                               end),
    receive
        {'DOWN', Ref, process, Pid, {within, Result, Notes}} ->
            put(bench_notes, Notes ++ get_notes()),
            case Result of
                {ok, _} -> Result;
                {crashed, Why} -> {error, {crashed, Why}}
            end;
        {'DOWN', Ref, process, Pid, Reason} ->
            {error, {crashed, Reason}}
    after Ms ->
            exit(Pid, kill),
            receive {'DOWN', Ref, process, Pid, _} -> ok after 5000 -> ok end,
            {error, {timeout, What}}
    end.

%% nook sizes its table of children from RLIMIT_NOFILE, so the figures are taken at the
%% user's limit; a group that needs more fds (fds/1) runs in a BEAM of its own given them.
fds_wanted(Mod, Ctx) ->
    {module, Mod} = code:ensure_loaded(Mod),
    case erlang:function_exported(Mod, fds, 1) of
        false ->
            ok;
        true ->
            Want = Mod:fds(Ctx),
            case nofile() of
                {Soft, _} when Soft >= Want -> ok;
                {_, Hard} -> {raise, min(Want, Hard)}
            end
    end.

nofile() ->
    {ok, Limits} = file:read_file("/proc/self/limits"),
    [[Soft, Hard | _]] = [string:lexemes(Rest, " ")
                          || Line <- string:lexemes(Limits, "\n"),
                             <<"Max open files", Rest/binary>> <- [Line]],
    {limit(Soft), limit(Hard)}.

limit(<<"unlimited">>) -> infinity;
limit(N) -> binary_to_integer(N).

in_child_beam(Mod, Ctx, Fds, Ms) ->
    Dir = maps:get(dir, Ctx),
    In = filename:join(Dir, atom_to_list(Mod) ++ ".ctx"),
    Out = filename:join(Dir, atom_to_list(Mod) ++ ".rows"),
    ok = file:write_file(In, term_to_binary(Ctx)),
    _ = file:delete(Out),
    Paths = lists:append([["-pa", filename:dirname(code:which(M))] || M <- [nook, ?MODULE]]),
    Eval = io_lib:format("bench:child(~s, \"~s\", \"~s\")", [Mod, In, Out]),
    Cmd = io_lib:format("ulimit -n ~b && exec erl -noshell ~s -eval '~s'",
                        [Fds, lists:join(" ", Paths), Eval]),
    note("~s: in a BEAM of its own with RLIMIT_NOFILE ~b (nook's processes inherit it)",
         [Mod, Fds]),
    Port = open_port({spawn_executable, "/bin/sh"},
                     [{args, ["-c", lists:flatten(Cmd)]}, {line, 4096}, exit_status,
                      stderr_to_stdout, binary]),
    ok = relay(Port, erlang:monotonic_time(millisecond) + Ms),
    {ok, Bin} = file:read_file(Out),
    {Rows, Notes} = binary_to_term(Bin),
    put(bench_notes, Notes ++ get_notes()),
    Rows.

%% The child's lines go straight to our output (its notes are printed there already).
relay(Port, Deadline) ->
    receive
        {Port, {data, {_, Line}}} -> io:format("~s~n", [Line]), relay(Port, Deadline);
        {Port, {exit_status, 0}} -> ok;
        {Port, {exit_status, N}} -> erlang:error({child_beam, {exit_status, N}})
    after max(Deadline - erlang:monotonic_time(millisecond), 0) ->
            {os_pid, OsPid} = erlang:port_info(Port, os_pid),
            _ = os:cmd("kill -KILL " ++ integer_to_list(OsPid)),
            erlang:error({child_beam, timeout})
    end.

%% @doc In a child BEAM: run one group, leave its rows and notes for the parent.
-spec child(module(), string(), string()) -> no_return().
child(Mod, In, Out) ->
    {ok, Ctx} = file:read_file(In),
    Rows = Mod:run(binary_to_term(Ctx)),
    ok = file:write_file(Out, term_to_binary({Rows, get_notes()})),
    halt(0).

print(#{name := Name, value := V, unit := Unit} = Row, Rows) ->
    io:format("~s ~s ~s ~s~n", [Name, number(V), Unit, ratio_text(ratio(Row, Rows))]).

ratio(#{name := Name, value := V} = Row, Rows) ->
    case maps:find(baseline, Row) of
        error ->
            %% A baseline's own ratio is 1; a figure with none has no ratio.
            case [N || #{baseline := N} <- Rows, N =:= Name] of
                [] -> undefined;
                _ -> 1.0
            end;
        {ok, Base} ->
            case [BV || #{name := N, value := BV} <- Rows, N =:= Base] of
                [BV | _] when BV /= 0 -> V / BV;
                _ -> undefined
            end
    end.

ratio_text(undefined) -> "-";
ratio_text(R) -> number(R).

%% Three or four significant digits, without exponents.
number(V) when is_integer(V) -> integer_to_list(V);
number(V) when abs(V) >= 100 -> float_to_list(float(V), [{decimals, 0}]);
number(V) when abs(V) >= 10 -> float_to_list(float(V), [{decimals, 1}]);
number(V) when abs(V) >= 0.1 -> float_to_list(float(V), [{decimals, 2}]);
number(V) -> float_to_list(float(V), [{decimals, 4}]).

%% ---- targets: judged here, never in tests ----

%% {Group, Label, Figure (or figures summed), Comparison, Limit, Against}: Against is a
%% baseline figure (the limit is a ratio) or `value' (the limit is in the figure's unit).
%% A target is judged whenever its group ran.
targets() ->
    [{bench_rtt, "getpid at depth 1 within 3x of the port echo",
      "getpid_rtt_depth1", '=<', 3.0, "port_echo_rtt"},
     {bench_rtt, "getpid at depth 1 within 3x of the port echo, each call after an echo",
      "getpid_rtt_depth1_interleaved", '=<', 3.0, "port_echo_rtt_interleaved"},
     {bench_start, "cold rootless true at most 1.3x the C floor",
      "rootless_true_nook_cold", '=<', 1.3, "rootless_true_floor"},
     {bench_start, "cold process true at most 2.0x open_port",
      "process_true_nook_cold", '=<', 2.0, "process_true_open_port"},
     {bench_start, "cold rootless true at most 0.8x bwrap",
      "rootless_true_nook_cold", '=<', 0.8, "rootless_true_bwrap"},
     {bench_start, "cold rootless true at most 1.6x the C floor",
      "rootless_true_nook_cold", '=<', 1.6, "rootless_true_floor"},
     {bench_pool, "ready pool, starts 20 ms apart: rootless true at most 0.4x bwrap",
      "pool_rootless_true_nook", '=<', 0.4, "pool_rootless_true_bwrap"},
     {bench_pool, "ready pool, starts 20 ms apart: process true at most 1.0x open_port",
      "pool_process_true_nook", '=<', 1.0, "pool_process_true_open_port"},
     {bench_pool, "back to back: rootless containers/s at least 1.0x bwrap's",
      "pool_rate_rootless_nook", '>=', 1.0, "pool_rate_rootless_bwrap"},
     {bench_pool, "back to back: rootless containers/s no worse than the cold path",
      "pool_rate_rootless_nook", '>=', 1.0, "pool_rate_rootless_nook_cold"},
     {bench_pool, "8 ready rootless containers cost at most 16 MiB of RSS",
      "pool_ready8_rss", '=<', 16384, value},
     {bench_stdout, "stdout at least 0.85x the plain port, flow control on",
      "stdout_nook_stream", '>=', 0.85, "stdout_plain_port"},
     {bench_stall, "a stalled consumer (yes) costs at most 2 MiB",
      ["stall_yes_beam_nook", "stall_yes_os_nook"], '=<', 2048, value},
     {bench_stall, "a stalled consumer (head -c 1G) costs at most 2 MiB",
      ["stall_head1g_beam_nook", "stall_head1g_os_nook"], '=<', 2048, value},
     {bench_containers, "1,000 concurrent containers run",
      "containers_running_nook", '>=', 1000, value},
     {bench_policy, "a getppid notified to the BEAM at most 3x a getpid round trip, depth 1",
      "notified_getppid_depth1", '=<', 3.0, "policy_getpid_rtt_depth1"},
     {bench_policy, "a Landlock-restricted nook_process starts within 1.1x an unrestricted one",
      "process_true_landlock_cold", '=<', 1.1, "process_true_policy_cold"},
     {bench_soak, "soak: every run exited 0", "soak_failed_runs", '=<', 0, value},
     {bench_soak, "soak: no leaked process", "soak_leaked_processes", '=<', 0, value},
     {bench_soak, "soak: no leaked fd", "soak_leaked_fds", '=<', 0, value},
     {bench_soak, "soak: no leaked mount", "soak_leaked_mounts", '=<', 0, value},
     {bench_soak, "soak: no leaked Erlang port", "soak_leaked_erlang_ports", '=<', 0, value},
     {bench_soak, "soak: BEAM RSS growth at most 5 %", "soak_beam_rss_growth", '=<', 5, value},
     {bench_soak, "soak: BEAM memory growth at most 5 %", "soak_beam_memory_growth", '=<', 5, value}].

judge({_Group, Label, Names, Cmp, Limit, Against}, Rows) ->
    Values = [find(N, Rows) || N <- names(Names)],
    Measured = case lists:member(undefined, Values) of
                   true -> undefined;
                   false when Against =:= value -> lists:sum(Values);
                   false ->
                       case find(Against, Rows) of
                           B when is_number(B), B /= 0 -> lists:sum(Values) / B;
                           _ -> undefined
                       end
               end,
    Met = Measured =/= undefined andalso erlang:Cmp(Measured, Limit),
    Shown = case {Measured, Against} of
                {undefined, _} -> "not measured";
                {_, value} -> io_lib:format("~s (limit ~s)", [number(Measured), number(Limit)]);
                _ -> io_lib:format("~sx ~s (limit ~sx)",
                                   [ratio_text(Measured), Against, number(Limit)])
            end,
    #{target => list_to_binary(Label), figure => list_to_binary(lists:join("+", names(Names))),
      measured => Measured, limit => Limit,
      against => case Against of value -> null; _ -> list_to_binary(Against) end,
      met => Met, leak => (not Met) andalso lists:prefix("soak", Label),
      shown => lists:flatten(Shown)}.

verdict(true, Shown) -> "met, " ++ Shown;
verdict(false, Shown) -> "MISSED, " ++ Shown.

names([C | _] = Name) when is_integer(C) -> [Name];
names(Names) -> Names.

find(Name, Rows) ->
    case [V || #{name := N, value := V} <- Rows, N =:= Name] of
        [V | _] -> V;
        [] -> undefined
    end.

%% ---- the run's header and notes ----

header(Ctx) ->
    {ok, Load} = file:read_file("/proc/loadavg"),
    [L1, L5, L15 | _] = string:lexemes(Load, " "),
    Kernel = string:trim(os:cmd("uname -r")),
    {Fds, _} = nofile(),
    Host = io_lib:format("Linux ~s, ~b CPUs, OTP ~s, uid ~s, RLIMIT_NOFILE ~p",
                         [Kernel, erlang:system_info(logical_processors_available),
                          erlang:system_info(otp_release), string:trim(os:cmd("id -u")), Fds]),
    #{stamp => list_to_binary(maps:get(stamp, Ctx)),
      commit => list_to_binary(os:getenv("BENCH_COMMIT", "unknown")),
      repeats => maps:get(repeats, Ctx),
      host => list_to_binary(Host),
      load => list_to_binary(io_lib:format("load ~s ~s ~s before the run", [L1, L5, L15]))}.

%% @doc Print a comment line and keep it for the JSON's notes.
-spec note(string(), [term()]) -> ok.
note(Fmt, Args) ->
    Text = lists:flatten(io_lib:format(Fmt, Args)),
    io:format("# ~s~n", [Text]),
    put(bench_notes, [list_to_binary(Text) | get_notes()]),
    ok.

get_notes() ->
    case get(bench_notes) of
        undefined -> [];
        Notes -> Notes
    end.

json_row(#{name := N, value := V, unit := U} = Row, Rows) ->
    #{name => list_to_binary(N), value => V, unit => list_to_binary(U),
      ratio => case ratio(Row, Rows) of undefined -> null; R -> R end,
      baseline => case maps:find(baseline, Row) of
                      {ok, B} -> list_to_binary(B);
                      error -> null
                  end}.

%% A small JSON encoder: maps, lists, binaries, numbers, booleans, null.
json(Term) -> [json_value(Term), $\n].

json_value(null) -> <<"null">>;
json_value(true) -> <<"true">>;
json_value(false) -> <<"false">>;
json_value(undefined) -> <<"null">>;
json_value(N) when is_integer(N) -> integer_to_binary(N);
json_value(F) when is_float(F) -> float_to_binary(F, [short]);
json_value(B) when is_binary(B) -> [$", escape(B), $"];
json_value(A) when is_atom(A) -> json_value(atom_to_binary(A));
json_value(M) when is_map(M) ->
    Fields = [[json_value(atom_to_binary(K)), $:, json_value(V)]
              || {K, V} <- lists:sort(maps:to_list(M))],
    [${, lists:join($,, Fields), $}];
json_value(L) when is_list(L) ->
    [$[, lists:join(",\n ", [json_value(E) || E <- L]), $]].

escape(B) ->
    [case C of
         $" -> <<"\\\"">>;
         $\\ -> <<"\\\\">>;
         _ when C < 32 -> io_lib:format("\\u~4.16.0b", [C]);
         _ -> <<C/utf8>>
     end || <<C/utf8>> <= B].

%% ---- helpers for the groups ----

%% @doc An integer from the environment, or Default.
-spec env(string(), integer()) -> integer().
env(Name, Default) ->
    case os:getenv(Name) of
        false -> Default;
        "" -> Default;
        V -> list_to_integer(V)
    end.

-spec median([number()]) -> number().
median(L) -> lists:nth((length(L) + 1) div 2, lists:sort(L)).

%% @doc Fun run N times, its results in order.
-spec repeat(pos_integer(), fun(() -> T)) -> [T].
repeat(N, Fun) -> [Fun() || _ <- lists:seq(1, N)].

%% @doc Run each of Variants once per repeat, in turn, so that load from outside falls on
%% all of them alike: #{Name => [Result]}.
-spec fold_interleaved(pos_integer(), [{term(), fun(() -> term())}], map()) -> map().
fold_interleaved(Repeats, Variants, Acc0) ->
    lists:foldl(fun(_, Acc) ->
                        lists:foldl(fun({Name, Fun}, A) ->
                                            R = Fun(),
                                            maps:update_with(Name, fun(L) -> [R | L] end,
                                                             [R], A)
                                    end, Acc, Variants)
                end, Acc0, lists:seq(1, Repeats)).

%% @doc Microseconds Fun takes.
-spec elapsed_us(fun(() -> term())) -> number().
elapsed_us(Fun) ->
    T0 = erlang:monotonic_time(nanosecond),
    _ = Fun(),
    (erlang:monotonic_time(nanosecond) - T0) / 1000.

-spec gc_all() -> ok.
gc_all() ->
    _ = [erlang:garbage_collect(P) || P <- erlang:processes()],
    ok.

%% @doc erlang:memory(total) after collecting garbage everywhere, in bytes.
-spec beam_memory() -> non_neg_integer().
beam_memory() ->
    gc_all(),
    erlang:memory(total).

%% @doc The OS processes under this BEAM (children, their children, ...), with their names.
-spec descendants() -> [{non_neg_integer(), binary()}].
descendants() ->
    {ok, Names} = file:list_dir("/proc"),
    Stats = [S || Name <- Names, {P, ""} <- [string:to_integer(Name)], is_integer(P),
                  S <- [stat(P)], S =/= undefined],
    Children = lists:foldl(fun({P, _, PP}, M) -> maps:update_with(PP, fun(L) -> [P | L] end, [P], M) end,
                           #{}, Stats),
    Comms = maps:from_list([{P, C} || {P, C, _} <- Stats]),
    Pids = descend([list_to_integer(os:getpid())], Children, []),
    [{P, maps:get(P, Comms)} || P <- Pids].

descend([], _, Acc) -> Acc;
descend([P | Rest], Children, Acc) ->
    Kids = maps:get(P, Children, []),
    descend(Kids ++ Rest, Children, Kids ++ Acc).

stat(Pid) ->
    case file:read_file("/proc/" ++ integer_to_list(Pid) ++ "/stat") of
        {ok, Stat} ->
            [Head, After] = string:split(Stat, ")", trailing),
            [_, Comm] = string:split(Head, "("),
            [_State, PPid | _] = string:lexemes(After, " "),
            {Pid, Comm, binary_to_integer(PPid)};
        _ ->
            undefined
    end.

%% @doc Summed resident and proportional set sizes of OS processes, in KiB: {Rss, Pss}.
-spec os_memory([non_neg_integer()]) -> {non_neg_integer(), non_neg_integer()}.
os_memory(Pids) ->
    lists:foldl(fun(P, {R, S}) ->
                        {R1, S1} = rollup(P),
                        {R + R1, S + S1}
                end, {0, 0}, Pids).

rollup(Pid) ->
    case file:read_file("/proc/" ++ integer_to_list(Pid) ++ "/smaps_rollup") of
        {ok, Text} ->
            Fields = [{K, V} || Line <- string:lexemes(Text, "\n"),
                                [K, V | _] <- [string:lexemes(Line, ": ")]],
            {kib(<<"Rss">>, Fields), kib(<<"Pss">>, Fields)};
        _ ->
            {0, 0}
    end.

kib(Key, Fields) ->
    case lists:keyfind(Key, 1, Fields) of
        {_, V} -> binary_to_integer(V);
        false -> 0
    end.

%% @doc Pools off (every ready tree ended, `pool_size' 0: each start is cold) or on, as the
%% application has them by default.
-spec pools(on | off) -> ok.
pools(off) ->
    ok = application:set_env(nook, pool_size, 0),
    nook_pool:stop_all();
pools(on) ->
    application:unset_env(nook, pool_size).

%% @doc Wait until nothing started is left: every pool stopped (its ready trees with it,
%% and the trees its preparers were building), no stream still ending the tree that run/3
%% answered for before it was down, and then at most Count OS processes under the BEAM, or,
%% with `nook', none of nook's. ok, or `{error, {left, Processes}}' after Ms.
-spec quiesce(non_neg_integer() | nook, non_neg_integer()) -> ok | {error, {left, list()}}.
quiesce(Count, Ms) ->
    ok = nook_pool:stop_all(),
    quiesce_wait(Count, erlang:monotonic_time(millisecond) + Ms, 0).

quiesce_wait(Count, Deadline, Clean) ->
    Procs = descendants(),
    Streams = case whereis(nook_stream_sup) of
                  undefined -> 0;
                  Sup -> proplists:get_value(active, supervisor:count_children(Sup), 0)
              end,
    Done = Streams =:= 0 andalso case Count of
                                     nook -> not lists:keymember(<<"nook">>, 2, Procs);
                                     _ -> length(Procs) =< Count
                                 end,
    Left = erlang:monotonic_time(millisecond) < Deadline,
    if
        %% Clean twice in a row: a preparer may be about to start a tree.
        Done, Clean >= 1 -> ok;
        Done -> timer:sleep(100), quiesce_wait(Count, Deadline, Clean + 1);
        not Left -> {error, {left, Procs}};
        true -> timer:sleep(50), quiesce_wait(Count, Deadline, 0)
    end.
