%% SPDX-License-Identifier: ISC
%% @doc Which processes are tasks: a call given any other pid fails at once instead of
%% waiting forever for a reply that will never come.
%%
%% nook_port adds a task when it registers with its port and removes it when it leaves (or
%% the port ends); the table belongs to the application's supervisor.
-module(nook_registry).

-export([new/0, add/1, remove/1, check/1]).

-define(TABLE, nook_tasks).
%% Remote pids found to be tasks, remembered by the caller (a few: a process talks to few).
-define(REMOTE_KEY, {?MODULE, remote_tasks}).
-define(REMOTE_KEEP, 16).
-define(REMOTE_TIMEOUT, 5000).

%% @doc Make the table; its owner is the calling process.
-spec new() -> ok.
new() ->
    ?TABLE = ets:new(?TABLE, [named_table, public, set, {read_concurrency, true},
                              {write_concurrency, true}]),
    ok.

ready() -> ets:whereis(?TABLE) =/= undefined.

-spec add(pid()) -> true.
add(Task) -> ets:insert(?TABLE, {Task}).

-spec remove([pid()]) -> ok.
remove(Tasks) ->
    _ = [ets:delete(?TABLE, T) || T <- Tasks],
    ok.

%% @doc What Pid is: a live task, a live process that is no task, or gone. A remote pid is
%% asked of its node, once for a task.
-spec check(pid()) -> task | not_task | dead.
check(Pid) when is_pid(Pid), node(Pid) =:= node() ->
    case ready() andalso ets:member(?TABLE, Pid) of
        true -> task;
        false -> case is_process_alive(Pid) of true -> not_task; false -> dead end
    end;
check(Pid) when is_pid(Pid) ->
    Known = case get(?REMOTE_KEY) of undefined -> []; K -> K end,
    case lists:member(Pid, Known) of
        true ->
            task;
        false ->
            case catch erpc:call(node(Pid), ?MODULE, check, [Pid], ?REMOTE_TIMEOUT) of
                task ->
                    put(?REMOTE_KEY, lists:sublist([Pid | Known], ?REMOTE_KEEP)),
                    task;
                not_task ->
                    not_task;
                _ ->
                    dead % or unreachable: the call finds out
            end
    end;
check(_) ->
    not_task.
