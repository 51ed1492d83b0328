%% SPDX-License-Identifier: ISC
%% @doc Ready containers: a tree built ahead of time, through everything that does not
%% depend on the command (port, clone, id maps, mounts, pivot_root, /dev, lo, limits, cgroup,
%% the exec task forked and waiting), so that a start is one request: exec.
%%
%% One pool per configuration (behaviour and options, and the app env they are read with):
%% equal configs share one, different ones never do. A pool is made on a configuration's
%% first use (that start is cold) or by prepare/3, keeps up to its size ready (app env
%% `pool_size', 2), refills in the background from 5 ms after each checkout, and ends, its ready
%% trees with it, when none was checked out for `pool_idle_ms' (30000). The node holds at
%% most `pool_max' (16) ready trees in all: a pool that would go over it prepares none, and
%% its starts are cold. A pool size of 0 turns pools off.
%%
%% Each tree is used once: checked out, it belongs to the caller exactly as one it had
%% built (owner of every task, linked to the supervisor task), and is never seen again by
%% the pool. A pool that dies takes its ready trees with it (it owns their tasks).
-module(nook_pool).
-behaviour(gen_server).

-export([checkout/2, prepare/3, ready/0, pools/0, stop_all/0, new_tables/0]).
-export([start_link/3, init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2]).

-define(TABLE, nook_pools).
-define(BUDGET, {?MODULE, budget}).
%% Options read at exec, not when the tree is built: not part of a pool's key.
-define(EXEC_TIME, [environ]).
%% How long after a checkout the refill begins: the time a start takes to exec its program.
-define(REFILL_DELAY_MS, 5).
%% How long an ending pool waits for a tree being built; only a guard.
-define(PREPARE_WAIT_MS, 30000).

-record(st, {
    key :: term(),
    behaviour :: module(),
    config :: nook_behaviour:config(),
    size :: non_neg_integer(),
    ready = [] :: [{nook_behaviour:tree(), reference()}],   % oldest first
    preparing = #{} :: #{reference() => pid()},
    waiting = [] :: [{gen_server:from(), non_neg_integer()}], % prepare/3 callers
    last_used :: integer(),
    idle_ms :: pos_integer(),
    %% the size before a preparation failed: taken up again at the next start that finds
    %% none ready (a passing failure does not end pooling for a pool in use)
    paused = 0 :: non_neg_integer()
}).

%% ---- API ----

%% @doc A ready tree for Behaviour and (checked) Config, now owned by the caller and linked
%% to it; none when there is none ready (the first use of a configuration makes its pool).
-spec checkout(module(), nook_behaviour:config()) -> {ok, nook_behaviour:tree()} | none.
checkout(Behaviour, Config) ->
    case size() of
        0 ->
            none;
        Size ->
            Key = key(Behaviour, Config),
            case lookup(Key) of
                {ok, Pool} ->
                    case catch gen_server:call(Pool, {checkout, self()}, infinity) of
                        {ok, #{supervisor := Supervisor} = Tree} ->
                            link(Supervisor),
                            {ok, Tree};
                        _ ->
                            none
                    end;
                error ->
                    _ = nook_app:ensure_started() =:= ok
                        andalso start_pool(Key, Behaviour, Config, Size),
                    none
            end
    end.

%% @doc Make sure N trees are ready for Behaviour and Config (checked as a start would),
%% waiting until they are: the pool's size becomes N.
-spec prepare(module(), nook_behaviour:config() | map(), non_neg_integer()) -> ok | {error, term()}.
prepare(Behaviour, Config0, N) when is_integer(N), N >= 0 ->
    case nook_behaviour:check_options(Behaviour, Config0) of
        {ok, Config} ->
            ok = nook_app:ensure_started(),
            Key = key(Behaviour, Config),
            case lookup(Key) of
                {ok, Pool} -> gen_server:call(Pool, {prepare, N}, infinity);
                error ->
                    case start_pool(Key, Behaviour, Config, N) of
                        {ok, Pool} -> gen_server:call(Pool, {prepare, N}, infinity);
                        {error, _} = Error -> Error
                    end
            end;
        {error, _} = Error ->
            Error
    end.

%% @doc How many trees are ready on this node, in all pools.
-spec ready() -> non_neg_integer().
ready() ->
    case persistent_term:get(?BUDGET, undefined) of
        undefined -> 0;
        Budget -> atomics:get(Budget, 1)
    end.

%% @doc The pools of this node: `{Behaviour, Config, Ready}' each.
-spec pools() -> [{module(), nook_behaviour:config(), non_neg_integer()}].
pools() ->
    [Info || {_, Pool} <- table(), {ok, Info} <- [catch gen_server:call(Pool, info, 5000)]].

%% @doc End every pool and the trees ready in it.
-spec stop_all() -> ok.
stop_all() ->
    _ = [catch gen_server:stop(Pool) || {_, Pool} <- table()],
    _ = [ets:delete_object(?TABLE, Entry) || {_, Pool} = Entry <- table(), not is_process_alive(Pool)],
    ok.

size() -> application:get_env(nook, pool_size, 2).

%% The config as the tree is built from it, with the app env that the behaviours read.
key(Behaviour, Config) ->
    Built = lists:usort([KV || {K, _} = KV <- Config, not lists:member(K, ?EXEC_TIME)]),
    Env = lists:usort([KV || {K, _} = KV <- application:get_all_env(nook),
                             not lists:member(K, [pool_size, pool_max, pool_idle_ms])]),
    {Behaviour, Built, erlang:phash2(Env)}.

lookup(Key) ->
    try ets:lookup(?TABLE, Key) of
        [{_, Pool}] ->
            case is_process_alive(Pool) of
                true -> {ok, Pool};
                false -> ets:delete_object(?TABLE, {Key, Pool}), error
            end;
        [] -> error
    catch
        error:badarg -> error % the application is not running
    end.

table() ->
    try ets:tab2list(?TABLE)
    catch error:badarg -> []
    end.

start_pool(Key, Behaviour, Config, Size) ->
    case supervisor:start_child(nook_pool_sup, [Key, Behaviour, Config]) of
        {ok, Pool} when is_pid(Pool) ->
            gen_server:cast(Pool, {grow, Size}),
            {ok, Pool};
        {ok, undefined} ->
            case lookup(Key) of
                {ok, Pool} -> {ok, Pool};
                error -> {error, pool_gone}
            end;
        {error, _} = Error ->
            Error
    end.

%% ---- the pool ----

-spec start_link(term(), module(), nook_behaviour:config()) -> {ok, pid()} | {error, term()}.
start_link(Key, Behaviour, Config) ->
    gen_server:start_link(?MODULE, {Key, Behaviour, Config}, []).

-spec init({term(), module(), nook_behaviour:config()}) -> {ok, #st{}} | ignore.
init({Key, Behaviour, Config}) ->
    case claim(Key) of
        ok ->
            %% The supervisor's shutdown runs terminate/2: ready trees and those being built
            %% end with the pool, before the rest of the application.
            process_flag(trap_exit, true),
            Idle = application:get_env(nook, pool_idle_ms, 30000),
            _ = erlang:send_after(Idle, self(), idle_check),
            {ok, #st{key = Key, behaviour = Behaviour, config = Config, size = 0,
                     last_used = now_ms(), idle_ms = Idle}};
        {already_started, _} ->
            ignore % another caller made it first: start_pool/4 finds that one
    end.

%% The config's entry in the table: this pool's, unless a live one has it. One killed
%% outright left its entry behind: this one takes its place.
claim(Key) ->
    case ets:insert_new(?TABLE, {Key, self()}) of
        true ->
            ok;
        false ->
            [{_, Other}] = ets:lookup(?TABLE, Key),
            case is_process_alive(Other) of
                true -> {already_started, Other};
                false -> true = ets:insert(?TABLE, {Key, self()}), ok
            end
    end.

-spec handle_call(term(), gen_server:from(), #st{}) -> {reply, term(), #st{}} | {noreply, #st{}}.
handle_call({checkout, _Caller}, _From, #st{ready = []} = St) ->
    Size = max(St#st.size, St#st.paused),
    {reply, none, refill(St#st{size = Size, paused = 0, last_used = now_ms()})};
handle_call({checkout, Caller}, From, #st{ready = [{Tree, Ref} | Rest]} = St) ->
    demonitor(Ref, [flush]),
    release(1),
    Reply = case hand_over(Tree, Caller) of
                ok -> {ok, Tree};
                error -> nook_behaviour:stop(Tree), none
            end,
    gen_server:reply(From, Reply),
    %% While another tree is ready, the refill waits until the start it follows has run its
    %% program: on a machine of few CPUs, a tree built beside a start slows it. An empty
    %% pool refills at once: the next start would be cold.
    St1 = St#st{ready = Rest, last_used = now_ms()},
    case Rest of
        [] -> {noreply, refill(St1)};
        _ -> _ = erlang:send_after(?REFILL_DELAY_MS, self(), refill), {noreply, St1}
    end;
handle_call({prepare, N}, From, St) ->
    %% The size asked for now is the one to keep, whatever a failure had paused.
    St1 = refill(St#st{size = N, paused = 0, last_used = now_ms()}),
    case {length(St1#st.ready) >= N, map_size(St1#st.preparing)} of
        {true, _} -> {reply, ok, shrink(St1)};
        {false, 0} -> {reply, {error, {pool_max, application:get_env(nook, pool_max, 16)}}, St1};
        {false, _} -> {noreply, St1#st{waiting = [{From, N} | St1#st.waiting]}}
    end;
handle_call(info, _From, #st{behaviour = B, config = C, ready = Ready} = St) ->
    {reply, {ok, {B, C, length(Ready)}}, St}.

-spec handle_cast(term(), #st{}) -> {noreply, #st{}}.
handle_cast({grow, N}, St) ->
    {noreply, refill(St#st{size = max(N, St#st.size)})}.

-spec handle_info(term(), #st{}) -> {noreply, #st{}} | {stop, normal, #st{}}.
handle_info({prepared, Pid, Result}, #st{preparing = P} = St) ->
    case [R || {R, Pid1} <- maps:to_list(P), Pid1 =:= Pid] of
        [Ref] -> prepared(Ref, Result, St);
        [] -> {noreply, St}
    end;
handle_info({'DOWN', Ref, process, _, _}, #st{preparing = P} = St) when is_map_key(Ref, P) ->
    release(1),
    {noreply, refill(St#st{preparing = maps:remove(Ref, P)})};
handle_info({'DOWN', Ref, process, _, _}, #st{ready = Ready} = St) ->
    %% A ready tree ended by itself (killed from outside): a new one takes its place.
    case lists:keytake(Ref, 2, Ready) of
        {value, _, Rest} -> release(1), {noreply, refill(St#st{ready = Rest})};
        false -> {noreply, St}
    end;
handle_info(idle_check, #st{last_used = Last, idle_ms = Idle} = St) ->
    Since = now_ms() - Last,
    case Since >= Idle andalso St#st.waiting =:= [] of
        true ->
            {stop, normal, St};
        false ->
            _ = erlang:send_after(max(Idle - Since, 1), self(), idle_check),
            {noreply, St}
    end;
handle_info(refill, St) ->
    {noreply, refill(St)};
handle_info(_Other, St) ->
    {noreply, St}.

prepared(Ref, {ok, Tree}, #st{preparing = P} = St) ->
    demonitor(Ref, [flush]),
    %% A prepared tree counts in the budget from its preparation on.
    Watch = monitor(process, maps:get(supervisor, Tree)),
    St1 = St#st{preparing = maps:remove(Ref, P), ready = St#st.ready ++ [{Tree, Watch}]},
    {noreply, answer_waiting(refill(shrink(St1)))};
prepared(Ref, {error, Reason}, #st{preparing = P} = St) ->
    %% A start that fails here fails the same way cold, where its caller hears why; the pool
    %% stops preparing until a start finds it empty.
    demonitor(Ref, [flush]),
    release(1),
    Paused = max(St#st.size, St#st.paused),
    {noreply, answer_waiting(St#st{preparing = maps:remove(Ref, P), size = 0, paused = Paused},
                             {error, Reason})}.

-spec terminate(term(), #st{}) -> ok.
terminate(_Reason, #st{key = Key, ready = Ready, preparing = Preparing}) ->
    ets:delete(?TABLE, Key),
    release(map_size(Preparing) + length(Ready)),
    _ = [nook_behaviour:stop(Tree) || {Tree, _} <- Ready],
    %% The trees still being built are ended too before the pool is: when it is gone, all
    %% it had is.
    maps:foreach(fun(Ref, Pid) -> await_prepared(Ref, Pid) end, Preparing).

await_prepared(Ref, Pid) ->
    receive
        {prepared, Pid, {ok, Tree}} -> demonitor(Ref, [flush]), nook_behaviour:stop(Tree);
        {prepared, Pid, _} -> demonitor(Ref, [flush]);
        {'DOWN', Ref, process, Pid, _} -> ok
    after ?PREPARE_WAIT_MS ->
        demonitor(Ref, [flush]),
        exit(Pid, kill) % its tasks, owned by it, end with it
    end.

%% Start preparing until ready and preparing make the pool's size, as the node's budget
%% allows.
refill(#st{size = Size, ready = Ready, preparing = P} = St) ->
    Wanted = length(Ready) + map_size(P) < Size,
    case Wanted andalso take_budget() of
        true ->
            Pool = self(),
            {Pid, Ref} = spawn_monitor(fun() -> preparer(Pool, St#st.behaviour, St#st.config) end),
            refill(St#st{preparing = P#{Ref => Pid}});
        false when Wanted, map_size(P) =:= 0 ->
            %% Nothing more will come: whoever waits for more is told why.
            answer_waiting(St, {error, {pool_max, application:get_env(nook, pool_max, 16)}});
        false ->
            St
    end.

%% More ready than the size asks for (it was lowered): the oldest go.
shrink(#st{size = Size, ready = Ready} = St) when length(Ready) > Size ->
    [{Tree, Ref} | Rest] = Ready,
    demonitor(Ref, [flush]),
    release(1),
    nook_behaviour:stop(Tree),
    shrink(St#st{ready = Rest});
shrink(St) ->
    St.

answer_waiting(St) -> answer_waiting(St, ok).

answer_waiting(#st{waiting = Waiting, ready = Ready} = St, Answer) ->
    {Done, Still} = lists:partition(fun({_, N}) -> Answer =/= ok orelse length(Ready) >= N end, Waiting),
    _ = [gen_server:reply(From, Answer) || {From, _} <- Done],
    St#st{waiting = Still}.

%% In a process of its own: the tree built as a cold start builds it, then given to the pool.
preparer(Pool, Behaviour, Config) ->
    Result = case nook_behaviour:start_cold(Behaviour, Config) of
                 {ok, Tree} ->
                     case hand_over(Tree, Pool) of
                         ok -> {ok, Tree};
                         error -> nook_behaviour:stop(Tree), {error, pool_gone}
                     end;
                 {error, _} = Error ->
                     Error
             end,
    Pool ! {prepared, self(), Result}.

%% Every task of the tree to its new owner, all asked at once; the supervisor task's link is
%% the owner's to make.
hand_over(#{supervisor := Supervisor, tasks := Tasks}, To) ->
    Results = nook_task:requests([Supervisor | Tasks], {controlling_process, To}),
    case lists:all(fun(R) -> R =:= ok end, Results) of
        true -> ok;
        false -> error
    end.

%% ---- the node's budget of ready trees ----

take_budget() ->
    Budget = budget(),
    Max = application:get_env(nook, pool_max, 16),
    case atomics:add_get(Budget, 1, 1) =< Max of
        true -> true;
        false -> atomics:sub(Budget, 1, 1), false
    end.

release(0) -> ok;
release(N) -> atomics:sub(budget(), 1, N).

budget() -> persistent_term:get(?BUDGET).

%% @doc The table of pools and the node's budget, made once by the pools' supervisor.
-spec new_tables() -> ok.
new_tables() ->
    ?TABLE = ets:new(?TABLE, [named_table, public, set, {read_concurrency, true}]),
    case persistent_term:get(?BUDGET, undefined) of
        undefined -> persistent_term:put(?BUDGET, atomics:new(1, [{signed, true}]));
        Budget -> atomics:put(Budget, 1, 0)
    end.

now_ms() -> erlang:monotonic_time(millisecond).
