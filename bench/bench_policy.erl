%% SPDX-License-Identifier: ISC
%% @doc What deciding in Erlang costs: a getppid notified to the BEAM and allowed by a
%% handler (nook_notify), against a plain getpid round trip at the same depth; and a cold
%% nook_process start restricted by Landlock (nook_landlock), against the same start without.
%% The two of each pair alternate, call by call and start by start; each figure is the
%% median of Repeats runs, each run itself the median of Calls round trips or Starts starts.
-module(bench_policy).

-export([run/1]).

%% What the restricted start may touch: a sandbox that still runs /bin/sh -c true.
-define(LANDLOCK, #{read => ["/usr", "/tmp"], exec => ["/usr"], write => ["/tmp"]}).

-spec run(map()) -> [bench:row()].
run(#{repeats := Repeats}) ->
    Calls = bench:env("CALLS", 10000),
    Starts0 = bench:env("STARTS", 20),
    {ok, Root} = nook:fork(),
    {ok, Plain} = nook:fork(Root),
    {ok, Notified} = nook:fork(Root),
    {ok, 0, _, _, _, _} = nook:prctl(Notified, pr_set_no_new_privs, 1, 0, 0, 0),
    {ok, _Server} = nook_notify:start(Notified, #{getppid => fun(_) -> allow end}, #{}),
    Pid = nook:getpid(Root),
    Pid = nook:getppid(Notified), % answered: the filter is in and allows
    bench:pools(off),
    Start = fun(Config) ->
                    fun() ->
                            {ok, Events} = nook_stream:run("true", nook_process, Config),
                            {exit_status, 0} = lists:last(Events)
                    end
            end,
    %% Each pair alternates call by call, start by start: load from outside falls on both.
    Rtt = fun() -> pairs(fun() -> nook:getpid(Plain) end, fun() -> nook:getppid(Notified) end, Calls) end,
    Starts = fun() -> pairs(Start([]), Start([{landlock, ?LANDLOCK}]), Starts0) end,
    %% One of each first: code loaded, caches warm.
    _ = [F() || F <- [Rtt, Starts]],
    Runs = bench:fold_interleaved(Repeats, [{rtt, Rtt}, {starts, Starts}], #{}),
    bench:pools(on),
    nook:stop(Root),
    bench:note("policy: median of ~b runs, each the median of ~b round trips at depth 1 of a "
               "getpid and a getppid notified to the BEAM (a handler allowing it), in turn, "
               "and of ~b cold starts of true under nook_process (pool_size 0) without and "
               "with Landlock (~0p), in turn, which first changing", [Repeats, Calls, Starts0, ?LANDLOCK]),
    {GetpidNs, NotifiedNs} = lists:unzip(maps:get(rtt, Runs)),
    {PlainNs, LandlockNs} = lists:unzip(maps:get(starts, Runs)),
    [#{name => "policy_getpid_rtt_depth1", value => bench:median(GetpidNs) / 1000, unit => "us"},
     #{name => "notified_getppid_depth1", value => bench:median(NotifiedNs) / 1000, unit => "us",
       baseline => "policy_getpid_rtt_depth1"},
     #{name => "process_true_policy_cold", value => bench:median(PlainNs) / 1.0e6, unit => "ms"},
     #{name => "process_true_landlock_cold", value => bench:median(LandlockNs) / 1.0e6,
       unit => "ms", baseline => "process_true_policy_cold"}].

%% A and B, N times each, which goes first changing each time (a start's tree is taken
%% down in the background, on the next one's time): the median time of each, in ns.
pairs(A, B, N) ->
    {As, Bs} = lists:unzip([case I rem 2 of
                                0 -> TA = ns(A), {TA, ns(B)};
                                1 -> TB = ns(B), {ns(A), TB}
                            end || I <- lists:seq(1, N)]),
    {bench:median(As), bench:median(Bs)}.

ns(Fun) ->
    T0 = erlang:monotonic_time(nanosecond),
    _ = Fun(),
    erlang:monotonic_time(nanosecond) - T0.
