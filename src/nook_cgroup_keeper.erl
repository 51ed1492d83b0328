%% SPDX-License-Identifier: ISC
%% @doc Removes each container's cgroup once its tree is gone, whoever stopped it (its owner
%% may have died), and the cgroups of BEAMs that died before they could (kill -9).
%%
%% A cgroup can only be removed once the last process in it has been reaped, which comes a
%% little after the supervisor task ends: removal is tried at once, then again with a
%% growing delay.
-module(nook_cgroup_keeper).
-behaviour(gen_server).

-export([start_link/0, create/2, watch/2, pending/0]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2]).

-define(FIRST_RETRY_MS, 10).
%% Stale cgroups are looked for with a node's first container, then at most this often.
-define(STALE_SCAN_MS, 60000).
-define(MAX_RETRY_MS, 5000).

-record(state, {
    stale_scanned :: integer() | undefined,
    suspects = #{} :: #{file:filename() => integer()},  % unwatched cgroups of ours: first seen
    watched = #{} :: #{reference() => nook_cgroup:cgroup()},
    retrying = #{} :: #{reference() => {nook_cgroup:cgroup(), pos_integer()}}
}).

-spec start_link() -> {ok, pid()} | {error, term()}.
start_link() -> gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

%% @doc Remove Cgroup once Pid (the tree's supervisor task) has ended.
-spec watch(nook_cgroup:cgroup(), pid()) -> ok.
watch(Cgroup, Pid) -> gen_server:call(?MODULE, {watch, Cgroup, Pid}, infinity).

%% @doc A cgroup for Limits (nook_cgroup:create/1), removed once Pid ends; none where this
%% node can make none.
-spec create(nook_limits:limits(), pid()) -> {ok, nook_cgroup:cgroup() | none} | {error, term()}.
create(Limits, Pid) ->
    case nook_cgroup:create(Limits) of
        none -> {ok, none};
        {ok, Cgroup} -> ok = watch(Cgroup, Pid), {ok, Cgroup};
        {error, _} = Error -> Error
    end.

%% @doc Cgroups watched or waiting to be removed.
-spec pending() -> non_neg_integer().
pending() -> gen_server:call(?MODULE, pending, infinity).

-spec init([]) -> {ok, #state{}}.
init([]) ->
    %% A keeper restarted (the application was) finds the cgroups its predecessor watched:
    %% the empty ones go now, the others when they empty.
    nook_cgroup:detected() andalso (self() ! remove_stale),
    {ok, #state{}}.

-spec handle_call(term(), gen_server:from(), #state{}) -> {reply, term(), #state{}}.
handle_call({watch, Cgroup, Pid}, _From, #state{watched = W} = State) ->
    %% With the node's first cgroup, and now and then after, those of nodes killed outright
    %% (their processes died with their ports) go.
    Now = erlang:monotonic_time(millisecond),
    Scanned = case State#state.stale_scanned of
                  Last when is_integer(Last), Now - Last < ?STALE_SCAN_MS -> Last;
                  _ -> self() ! remove_stale, Now
              end,
    {reply, ok, State#state{watched = W#{monitor(process, Pid) => Cgroup}, stale_scanned = Scanned}};
handle_call(pending, _From, #state{watched = W, retrying = R} = State) ->
    {reply, map_size(W) + map_size(R), State}.

-spec handle_cast(term(), #state{}) -> {noreply, #state{}}.
handle_cast(_Msg, State) -> {noreply, State}.

-spec handle_info(term(), #state{}) -> {noreply, #state{}}.
handle_info({'DOWN', Ref, process, _, _}, #state{watched = W} = State) ->
    case maps:take(Ref, W) of
        {Cgroup, W1} -> {noreply, try_remove(Ref, Cgroup, ?FIRST_RETRY_MS, State#state{watched = W1})};
        error -> {noreply, State}
    end;
handle_info({retry, Ref}, #state{retrying = R} = State) ->
    case maps:take(Ref, R) of
        {{Cgroup, Delay}, R1} ->
            {noreply, try_remove(Ref, Cgroup, min(Delay * 2, ?MAX_RETRY_MS), State#state{retrying = R1})};
        error ->
            {noreply, State}
    end;
handle_info(remove_stale, #state{watched = W, retrying = R} = State) ->
    _ = [case nook_cgroup:remove_tree(Dir) of
             ok -> ok;
             {error, Reason} -> logger:notice("nook: could not remove stale cgroup ~ts: ~p", [Dir, Reason])
         end || Dir <- nook_cgroup:stale_node_dirs()],
    %% One of ours that nobody has watched for a whole scan period is an orphan; one seen
    %% unwatched for less may be a cgroup just made, about to be watched.
    Known = maps:values(W) ++ [C || {C, _} <- maps:values(R)],
    Now = erlang:monotonic_time(millisecond),
    Seen = maps:from_list([{D, maps:get(D, State#state.suspects, Now)}
                           || D <- nook_cgroup:orphans(Known)]),
    Old = [D || {D, First} <- maps:to_list(Seen), Now - First >= ?STALE_SCAN_MS],
    _ = [nook_cgroup:remove_empty(D) || D <- Old],
    Suspects = maps:filter(fun(D, _) -> filelib:is_dir(D) end, Seen),
    map_size(Suspects) > 0 andalso erlang:send_after(?STALE_SCAN_MS, self(), remove_stale),
    {noreply, State#state{suspects = Suspects}};
handle_info(_Other, State) ->
    {noreply, State}.

try_remove(Ref, Cgroup, Delay, #state{retrying = R} = State) ->
    case nook_cgroup:remove(Cgroup) of
        ok ->
            State;
        {error, _} ->
            _ = erlang:send_after(Delay, self(), {retry, Ref}),
            State#state{retrying = R#{Ref => {Cgroup, Delay}}}
    end.

-spec terminate(term(), #state{}) -> ok.
terminate(_Reason, #state{retrying = R}) ->
    %% Last tries; the node directories go too when nothing is left in them.
    _ = [nook_cgroup:remove(Cgroup) || {Cgroup, _} <- maps:values(R)],
    %% (A node that never looked at its hierarchies made none, and must not start now.)
    _ = [file:del_dir(D) || nook_cgroup:detected(), D <- nook_cgroup:node_dirs()],
    ok.
