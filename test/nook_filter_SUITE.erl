%% SPDX-License-Identifier: ISC
%% @doc The call filter: refused calls raise undef, filters only tighten, children forked
%% afterwards get the subprocess set, and stop always works.
-module(nook_filter_SUITE).

-include_lib("stdlib/include/assert.hrl").

-export([all/0, init_per_testcase/2, end_per_testcase/2]).
-export([deny_list_raises_undef/1, allow_list_refuses_the_rest/1,
         later_looser_filter_does_not_loosen/1, children_inherit_subprocess_set/1,
         allow_expands_fork/1, filtering_filter_locks_it/1, stop_survives_any_filter/1,
         unknown_call_in_filter/1, other_platforms_calls/1, close_covers_eof/1]).

all() ->
    [deny_list_raises_undef, allow_list_refuses_the_rest, later_looser_filter_does_not_loosen,
     children_inherit_subprocess_set, allow_expands_fork, filtering_filter_locks_it,
     stop_survives_any_filter, unknown_call_in_filter, other_platforms_calls, close_covers_eof].

init_per_testcase(_Case, Config) ->
    {ok, Root} = nook:fork(),
    {ok, Task} = nook:fork(Root),
    [{root, Root}, {task, Task} | Config].

end_per_testcase(_Case, Config) ->
    nook:stop(proplists:get_value(root, Config)).

task(Config) -> proplists:get_value(task, Config).

deny_list_raises_undef(Config) ->
    T = task(Config),
    ok = nook:filter(T, [getcwd]),
    ?assertError(undef, nook:getcwd(T)),
    %% the task goes on serving everything else
    ?assertEqual(nook:pidof(T), nook:getpid(T)).

allow_list_refuses_the_rest(Config) ->
    T = task(Config),
    ok = nook:filter(T, {allow, [getpid, getcwd, filter]}, []),
    ?assertMatch({ok, _}, nook:getcwd(T)),
    ?assertError(undef, nook:getuid(T)),
    ?assertError(undef, nook:kill(T, 0, 0)).

later_looser_filter_does_not_loosen(Config) ->
    T = task(Config),
    ok = nook:filter(T, {deny, [getuid, getgid]}),
    ok = nook:filter(T, {allow, [getuid, getgid, filter, getpid]}),
    ?assertError(undef, nook:getuid(T)),
    ?assertError(undef, nook:getgid(T)),
    %% and the looser filter's own refusals did apply
    ?assertError(undef, nook:getcwd(T)).

children_inherit_subprocess_set(Config) ->
    T = task(Config),
    ok = nook:filter(T, {allow, [fork, getcwd, filter]}, {allow, [getpid]}),
    ?assertMatch({ok, _}, nook:getcwd(T)),
    ?assertError(undef, nook:kill(T, 0, 0)),
    {ok, C} = nook:fork(T),
    ?assertEqual(nook:pidof(C), nook:getpid(C)),
    ?assertError(undef, nook:getcwd(C)),
    ?assertError(undef, nook:fork(C)).

allow_expands_fork(Config) ->
    %% Allowing fork allows what forking needs: listing and closing children.
    T = task(Config),
    ok = nook:filter(T, {allow, [fork]}, []),
    ?assertEqual([], nook:cpid(T)),
    {ok, C} = nook:fork(T),
    ?assertMatch([#{pid := _}], nook:cpid(T)),
    ?assertEqual(nook:pidof(C), nook:getpid(C)).

filtering_filter_locks_it(Config) ->
    T = task(Config),
    ok = nook:filter(T, [filter]),
    ?assertError(undef, nook:filter(T, [getpid])),
    ?assertEqual(nook:pidof(T), nook:getpid(T)).

stop_survives_any_filter(Config) ->
    %% A supervisor that may do nothing at all still ends its children on stop/1.
    Root = proplists:get_value(root, Config),
    T = task(Config),
    {ok, C} = nook:fork(T),
    Pid = nook:pidof(C),
    ok = nook:filter(T, {allow, []}, []),
    ?assertError(undef, nook:kill(T, Pid, sigkill)),
    ok = nook:stop(C),
    ?assertNot(nook_test_lib:exists(Pid) andalso nook_procfs:alive(Pid)),
    ?assertEqual(nook:pidof(Root), nook:getpid(Root)).

unknown_call_in_filter(Config) ->
    T = task(Config),
    ?assertError(badarg, nook:filter(T, [no_such_call])),
    ?assertError(badarg, nook:filter(T, {allow, not_a_list})),
    ?assertEqual(nook:pidof(T), nook:getpid(T)).

other_platforms_calls(Config) ->
    %% prx's supervisors name calls of FreeBSD and OpenBSD: they cannot be made here anyway.
    T = task(Config),
    ?assertError(badarg, nook:filter(T, {allow, [procctl, no_such_call]})),
    ok = nook:filter(T, [pledge, unveil, jail, cap_enter]),
    ok = nook:filter(T, {allow, [close, exit, fork, getpid, kill, setcpid, sigaction, clone,
                                 procctl]}, []),
    ?assertEqual(nook:pidof(T), nook:getpid(T)),
    ?assertError(undef, nook:getcwd(T)),
    ?assertError(undef, nook:call(T, procctl, [0, 0, 0, []])).

close_covers_eof(Config) ->
    %% In prx eof is a close in the parent: allowing close allows it, denying close denies it.
    T = task(Config),
    {ok, C1} = nook:fork(T),
    {ok, C2} = nook:fork(T),
    ok = nook:execvp(C1, ["cat"]),
    ok = nook:execvp(C2, ["cat"]),
    ok = nook:filter(T, {allow, [close, getpid, filter]}, []),
    ?assertEqual(ok, nook:eof(C1)),
    ?assertMatch({_, _, {exit_status, 0}}, nook_test_lib:collect(C1, 5000)),
    ok = nook:filter(T, {deny, [close]}, []),
    ?assertError(undef, nook:eof(C2)),
    ?assertError(undef, nook:close(T, 100)),
    ?assertEqual(nook:pidof(T), nook:getpid(T)).
