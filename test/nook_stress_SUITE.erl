%% SPDX-License-Identifier: ISC
%% @doc Rapid fork/stop on one parent: no crash, no child that loses its pipes, nothing left.
-module(nook_stress_SUITE).

-include_lib("stdlib/include/assert.hrl").

-export([all/0]).
-export([fork_stop_cycles/1, interleaved_fork_stop/1]).

-define(CYCLES, 2000).

all() -> [fork_stop_cycles, interleaved_fork_stop].

fork_stop_cycles(_Config) ->
    process_flag(trap_exit, true),
    {ok, Parent} = nook:fork(),
    Pids = [cycle(Parent) || _ <- lists:seq(1, ?CYCLES)],
    ?assertEqual(?CYCLES, length(lists:usort(Pids))),
    %% Every child was reaped and forgotten, and a fresh child still has working pipes.
    ?assertEqual([], nook:cpid(Parent)),
    assert_echo(Parent),
    ?assertEqual([], [M || {'EXIT', _, _} = M <- flush()]),
    ok = nook:stop(Parent).

%% Each child answers a call through its own channel before it is stopped.
cycle(Parent) ->
    {ok, Child} = nook:fork(Parent),
    Pid = nook:getpid(Child),
    ?assertEqual(Pid, nook:pidof(Child)),
    ok = nook:stop(Child),
    Pid.

interleaved_fork_stop(_Config) ->
    %% Stopping one child while its sibling, forked just before, is in use: the sibling's
    %% pipes are its own, whatever fd numbers get reused.
    process_flag(trap_exit, true),
    {ok, Parent} = nook:fork(),
    {ok, First} = nook:fork(Parent),
    Last = lists:foldl(fun(_, Prev) ->
                               {ok, Next} = nook:fork(Parent),
                               ok = nook:stop(Prev),
                               ?assertEqual(nook:pidof(Next), nook:getpid(Next)),
                               Next
                       end, First, lists:seq(1, 500)),
    ok = nook:execvp(Last, ["/bin/echo", "still here"]),
    ?assertEqual({<<"still here\n">>, <<>>, {exit_status, 0}}, nook_test_lib:collect(Last, 5000)),
    ?assertEqual([], nook:cpid(Parent)),
    ok = nook:stop(Parent).

assert_echo(Parent) ->
    {ok, C} = nook:fork(Parent),
    ok = nook:execvp(C, ["/bin/echo", "ok"]),
    ?assertEqual({<<"ok\n">>, <<>>, {exit_status, 0}}, nook_test_lib:collect(C, 5000)).

flush() ->
    receive M -> [M | flush()] after 0 -> [] end.
