%% SPDX-License-Identifier: ISC
%% @doc What a seccomp filter costs a container, each figure against its baseline in the same
%% run: loading the default profile (compiled once) against a getpid round trip at the same
%% depth; compiling it every time; a rootless `true' with the default profile against one
%% with none. Medians of N samples; the rootless runs alternate so that drift hits both.
%% With a third argument, the compiled profile is written there for bench/seccomp_load.c,
%% which times the kernel's part alone.
%%   erl -pa _build/default/lib/nook/ebin -pa DIR -eval 'seccomp:main(["2000", "200", F])'
-module(seccomp).

-export([main/1]).

main([LoadsS, RunsS, File]) ->
    {ok, Root} = nook:fork(),
    {ok, BPF} = nook_seccomp:compiled(Root, nook_seccomp:default_profile()),
    nook:stop(Root),
    ok = file:write_file(File, BPF),
    main([LoadsS, RunsS]);
main([LoadsS, RunsS]) ->
    Loads = list_to_integer(LoadsS),
    Runs = list_to_integer(RunsS),
    Profile = nook_seccomp:default_profile(),
    {ok, Root} = nook:fork(),
    {ok, BPF} = nook_seccomp:compiled(Root, Profile),
    {LoadNs, GetpidNs} = lists:unzip([load_once(Root, BPF) || _ <- lists:seq(1, Loads)]),
    CompileNs = [timed(fun() -> {ok, _} = nook:seccomp_compile(Root, Profile) end)
                 || _ <- lists:seq(1, Loads)],
    nook:stop(Root),
    ok = nook_rootless:make_root(),
    Pairs = [{rootless(default), rootless(none)} || _ <- lists:seq(1, Runs)],
    {WithNs, WithoutNs} = lists:unzip(Pairs),
    io:format("# default profile: ~b instructions; ~b loads, ~b rootless runs each~n",
              [byte_size(BPF) div 8, Loads, Runs]),
    Getpid = median(GetpidNs),
    Without = median(WithoutNs),
    [io:format("~s ~.1f us ~.2f~n", [Name, V / 1000, V / Base])
     || {Name, V, Base} <- [{"getpid_rtt_depth1", Getpid, Getpid},
                            {"seccomp_load_default_depth1", median(LoadNs), Getpid},
                            {"seccomp_compile_default_depth0", median(CompileNs), Getpid},
                            {"rootless_true_seccomp_none", Without, Without},
                            {"rootless_true_seccomp_default", median(WithNs), Without}]],
    io:format("seccomp_load_minus_getpid ~.1f us~n", [(median(LoadNs) - Getpid) / 1000]),
    io:format("rootless_default_minus_none ~.1f us~n", [(median(WithNs) - Without) / 1000]),
    ok.

%% A fresh child with no_new_privs: one load, and one getpid as the round trip's baseline.
load_once(Root, BPF) ->
    {ok, C} = nook:fork(Root),
    {ok, 0, 1, 0, 0, 0} = nook:prctl(C, pr_set_no_new_privs, 1, 0, 0, 0),
    _ = nook:getpid(C), %% a new process's first calls are slower: not the load's cost
    Getpid = timed(fun() -> nook:getpid(C) end),
    Load = timed(fun() -> ok = nook:seccomp_load(C, BPF) end),
    nook:stop(C),
    {Load, Getpid}.

rootless(Seccomp) ->
    timed(fun() -> {ok, [{exit_status, 0}]} =
                       nook_stream:run(["true"], nook_rootless, [{seccomp, Seccomp}])
          end).

timed(Fun) ->
    T0 = erlang:monotonic_time(nanosecond),
    _ = Fun(),
    erlang:monotonic_time(nanosecond) - T0.

median(L) -> lists:nth((length(L) + 1) div 2, lists:sort(L)).
