%% SPDX-License-Identifier: ISC
%% @doc N (1,000) rootless containers at once, each running `sleep' after saying it is up:
%% nook_rootless through nook_stream against bwrap making the same sandbox (as plain ports).
%% A bounded number start at a time (a sliding batch), so that neither the machine's limits
%% nor the start itself are swamped. Figures: how many ran at once (counted as `sleep'
%% processes under the BEAM), the start rate (containers up per second of the ramp), and per
%% container the BEAM's memory growth and the memory (RSS, PSS) of nook's processes, or of
%% bwrap's.
-module(bench_containers).

-export([run/1, fds/1]).

%% @doc The BEAM's fds this group needs: each container or bwrap is a port (two pipes).
-spec fds(map()) -> pos_integer().
fds(_Ctx) -> 4 * bench:env("CONTAINERS", 1000) + 1024.

-define(CMD, "echo up; exec sleep 600").
-define(UP_MS, 60000).
%% How long a container may be kept up, and the whole of them taken down: guards only.
-define(HOLD_MS, 3600000).
-define(DOWN_MS, 120000).

-spec run(map()) -> [bench:row()].
run(#{repeats := Repeats0} = Ctx) ->
    N = bench:env("CONTAINERS", 1000),
    Batch = bench:env("CONTAINER_BATCH", 16),
    Repeats = bench:env("CONTAINER_REPEATS", Repeats0),
    Base = bench_start:baseline(Ctx),
    Root = maps:get(root, Base),
    Runs = bench:fold_interleaved(Repeats, [{bwrap, fun() -> round(bwrap, Base, N, Batch) end},
                                            {nook, fun() -> round(nook, Root, N, Batch) end}],
                                  #{}),
    bench:note("containers: ~b at once, at most ~b starting at a time, median of ~b; nook_rootless "
               "(nook_stream) against bwrap; memory per container: BEAM erlang:memory(total) "
               "growth, OS summed RSS and PSS of the nook (or bwrap) processes", [N, Batch, Repeats]),
    Failed = lists:append([maps:get(failed, R) || R <- maps:get(nook, Runs) ++ maps:get(bwrap, Runs)]),
    _ = [bench:note("containers: ~b failed to start, e.g. ~0p", [length(Failed), hd(Failed)])
         || Failed =/= []],
    Figures = [{"running", "containers", running}, {"start_rate", "containers/s", rate},
               {"beam", "KiB", beam}, {"os_pss", "KiB", pss}, {"os_rss", "KiB", rss}],
    lists:append(
      [[#{name => "containers_" ++ F ++ "_bwrap", unit => U,
          value => bench:median([maps:get(K, R) || R <- maps:get(bwrap, Runs)])},
        #{name => "containers_" ++ F ++ "_nook", unit => U,
          value => bench:median([maps:get(K, R) || R <- maps:get(nook, Runs)]),
          baseline => "containers_" ++ F ++ "_bwrap"}]
       || {F, U, K} <- Figures]).

%% Start N, measure, stop them all and wait until their processes are gone.
round(Kind, Arg, N, Batch) ->
    Before = length(bench:descendants()),
    Beam0 = bench:beam_memory(),
    T0 = erlang:monotonic_time(microsecond),
    {Up, Failed} = ramp(Kind, Arg, N, Batch, 0, [], []),
    Secs = (erlang:monotonic_time(microsecond) - T0) / 1.0e6,
    Running = running(length(Up), 5000),
    Beam1 = bench:beam_memory(),
    Ours = [P || {P, Comm} <- bench:descendants(), Comm =:= atom_to_binary(Kind)],
    {Rss, Pss} = bench:os_memory(Ours),
    stop(Kind, Up),
    %% The pool nook's starts made (pools are on, as by default) ends with its ready trees.
    ok = bench:quiesce(Before, ?DOWN_MS),
    Per = max(length(Up), 1),
    #{running => Running, rate => length(Up) / Secs, beam => (Beam1 - Beam0) / 1024 / Per,
      rss => Rss / Per, pss => Pss / Per, failed => Failed}.

%% Keep Batch starts in flight until N have been asked for and all have answered.
ramp(_Kind, _Arg, 0, _Batch, 0, Up, Failed) ->
    {Up, Failed};
ramp(Kind, Arg, Left, Batch, InFlight, Up, Failed) when Left > 0, InFlight < Batch ->
    Self = self(),
    _ = spawn(fun() -> worker(Kind, Arg, Self) end),
    ramp(Kind, Arg, Left - 1, Batch, InFlight + 1, Up, Failed);
ramp(Kind, Arg, Left, Batch, InFlight, Up, Failed) ->
    receive
        {up, W, OsPid} -> ramp(Kind, Arg, Left, Batch, InFlight - 1, [{W, OsPid} | Up], Failed);
        {failed, _W, Why} -> ramp(Kind, Arg, Left, Batch, InFlight - 1, Up, [Why | Failed])
    after 2 * ?UP_MS ->
            %% A worker answers within UP_MS, whatever happens: one that did not is a bug.
            erlang:error({ramp, no_answer, InFlight})
    end.

%% A worker answers once, whatever happens: the ramp counts on it.
worker(Kind, Arg, Parent) ->
    try start(Kind, Arg, Parent)
    catch Class:Reason -> Parent ! {failed, self(), {Class, Reason}}
    end.

start(nook, Root, Parent) ->
    case nook_stream:open(?CMD, nook_rootless, [{path, Root}]) of
        {ok, S} ->
            case await_up(S, <<>>) of
                ok ->
                    Parent ! {up, self(), undefined},
                    receive stop -> ok after ?HOLD_MS -> ok end,
                    nook_stream:close(S),
                    Parent ! {down, self()};
                {error, Why} ->
                    nook_stream:close(S),
                    Parent ! {failed, self(), Why}
            end;
        {error, Why} ->
            Parent ! {failed, self(), Why}
    end;
start(bwrap, #{bwrap := Bwrap} = Base, Parent) ->
    Port = open_port({spawn_executable, Bwrap},
                     [{args, bench_start:bwrap_args(Base) ++ ["/bin/sh", "-c", ?CMD]},
                      binary, exit_status, stderr_to_stdout, in]),
    {os_pid, OsPid} = erlang:port_info(Port, os_pid),
    receive
        {Port, {data, <<"up", _/binary>>}} ->
            Parent ! {up, self(), OsPid},
            receive stop -> ok after ?HOLD_MS -> ok end,
            %% The parent killed bwrap; its sandbox dies with it (--die-with-parent).
            receive {Port, {exit_status, _}} -> ok after ?DOWN_MS -> catch port_close(Port) end,
            Parent ! {down, self()};
        {Port, {data, Other}} ->
            Parent ! {failed, self(), Other};
        {Port, {exit_status, S}} ->
            Parent ! {failed, self(), {exit_status, S}}
    after ?UP_MS ->
            Parent ! {failed, self(), timeout}
    end.

await_up(S, Acc) ->
    case nook_stream:recv(S, ?UP_MS) of
        {ok, Events} ->
            Out = iolist_to_binary([Acc | [B || {stdout, B} <- Events]]),
            case {Out, [E || {Exit, _} = E <- Events, Exit =/= stdout, Exit =/= stderr]} of
                {<<"up", _/binary>>, _} -> ok;
                {_, []} -> await_up(S, Out);
                {_, Exit} -> {error, Exit}
            end;
        eof -> {error, eof};
        {error, timeout} -> {error, timeout}
    end.

stop(nook, Up) ->
    _ = [W ! stop || {W, _} <- Up],
    await_down(Up);
stop(bwrap, Up) ->
    _ = os:cmd(lists:flatten(["kill -KILL" | [[" ", integer_to_list(P)] || {_, P} <- Up]])),
    _ = [W ! stop || {W, _} <- Up],
    await_down(Up).

await_down(Up) ->
    Deadline = erlang:monotonic_time(millisecond) + ?DOWN_MS,
    _ = [receive {down, W} -> ok
         after max(Deadline - erlang:monotonic_time(millisecond), 0) -> erlang:error({not_down, W})
         end || {W, _} <- Up],
    ok.

%% The `sleep' processes under the BEAM, once there are Want (the shell of the last one up
%% may not have exec'd yet) or after Ms.
running(Want, Ms) ->
    Count = length([P || {P, <<"sleep">>} <- bench:descendants()]),
    case Count >= Want orelse Ms =< 0 of
        true -> Count;
        false -> timer:sleep(50), running(Want, Ms - 50)
    end.
