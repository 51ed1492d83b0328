%% SPDX-License-Identifier: ISC
%% @doc Streams on other nodes of an Erlang cluster: on a node named by the caller, or on the
%% node of a group with the most room. Erlang distribution carries everything; nook adds
%% no transport of its own.
%%
%% `nook_stream:open/3' and `run/3' take `{node, Node}' or `{nodes, Group}'. The stream
%% process runs on the chosen node, owns the program's tree there, and watches the caller:
%% the caller's death, or the loss of the link between the two nodes, ends it and kills the
%% tree. The caller drives it as a local one (recv/2, send/2, eof/1, close/1,2); `node(S)'
%% says where it runs. A lost link is an `{exit, {nodedown, Node}}' event, then eof (and
%% `{error, {nodedown, Node}}' from run/3, send/2 and eof/1).
%%
%% Groups: each node running the nook application is a member of the `pg' groups of its
%% `groups' setting (`[nook]'), in nook's own pg scope, and can join/1 and leave/1 others.
%% Every node publishes its figures (nook_capacity) to every other about once a second;
%% they land in a table on each node, which placement reads without asking anyone.
%%
%% Placement over a group tries its nodes best first: the most free places
%% (`max_containers' less the streams running; unbounded counts as most), then the most
%% containers ready, the fewest running, the lowest load per CPU, the most free memory. A
%% node without fresh figures comes after those with room; a node known to be full, or that
%% refused lately, comes last. A node that refuses (at its bound, user namespaces
%% unavailable there, gone, or without nook) passes the start to the next one; when all
%% refuse, `{error, no_capacity}'. Any other error is the start's own, returned at once.
-module(nook_cluster).
-behaviour(gen_server).

-export([open/6, join/1, leave/1, groups/0, members/1, publish/1, scope/0]).
-export([start_link/0, init/1, handle_call/3, handle_cast/2, handle_info/2]).

%% nook's pg scope (a registered process on every node running nook).
-define(SCOPE, nook_pg).
%% Every node's table server is in this group: the figures go to its members. A tuple, so
%% that it is no group a user may name (groups are atoms).
-define(TABLES, {nook_cluster, tables}).
-define(TABLE, nook_cluster).
%% Figures older than this are not trusted (a node that stopped publishing).
-define(STALE_MS, 5000).

%% {Node, Running, Figures, Refused, ReceivedAt}: Running is the node's own count, plus the
%% starts placed there from this node since; Refused, a refusal since the last figures.
-define(RUNNING, 2).
-define(REFUSED, 4).

%% ---- starting streams elsewhere ----

%% @doc Start a stream for Owner on Node (`{node, Node}') or on the node of Group with the
%% most room (`{nodes, Group}'): what nook_stream:open/3 does with those options.
-spec open({node, node()} | {nodes, atom()}, pid(), term(), module(), [{atom(), term()}],
           [{atom(), term()}]) -> {ok, nook_stream:stream()} | {error, term()}.
open({node, Node}, Owner, Cmd, Behaviour, Mine, Theirs) ->
    start_on(Node, [Owner, Cmd, Behaviour, Mine, Theirs]);
open({nodes, Group}, Owner, Cmd, Behaviour, Mine, Theirs) ->
    case nook_app:ensure_started() of
        ok ->
            case ranked(Group) of
                [] -> {error, {no_nodes, Group}};
                Nodes -> in_turn(Nodes, [Owner, Cmd, Behaviour, Mine, Theirs])
            end;
        {error, _} = Error ->
            Error
    end.

in_turn([], _Args) ->
    {error, no_capacity};
in_turn([Node | Rest], Args) ->
    case start_on(Node, Args) of
        {ok, _} = Started ->
            placed(Node),
            Started;
        {error, Reason} = Error ->
            case refused(Reason) of
                true -> refused_by(Node), in_turn(Rest, Args);
                false -> Error
            end
    end.

%% What another node may be able to do instead.
refused({max_containers, _}) -> true;
refused({userns_unavailable, _}) -> true;
refused({nodedown, _}) -> true;
refused({nook_unavailable, _}) -> true;
refused(_) -> false.

start_on(Node, Args) when Node =:= node() ->
    erlang:apply(nook_stream, start_for, Args);
start_on(Node, Args) ->
    %% The caller waits as long as a local start would; a lost link ends the wait.
    try erpc:call(Node, nook_stream, start_for, Args, infinity) of
        {ok, S} = Started ->
            ok = nook_link:opened(S),
            Started;
        {error, _} = Error ->
            Error
    catch
        error:{erpc, noconnection} ->
            {error, {nodedown, Node}};
        error:{exception, undef, [{nook_stream, start_for, _, _} | _]} ->
            {error, {nook_unavailable, Node}}
    end.

%% ---- groups ----

%% @doc This node takes starts placed over Group from now on.
-spec join(atom()) -> ok.
join(Group) when is_atom(Group) -> call({join, Group}).

%% @doc This node takes no more starts placed over Group (those running go on).
-spec leave(atom()) -> ok.
leave(Group) when is_atom(Group) -> call({leave, Group}).

%% @doc The groups this node is a member of.
-spec groups() -> [atom()].
groups() -> call(groups).

%% @doc The nodes of Group, best first, with their last figures (`unknown' until some
%% come): the order a start placed now would try them in.
-spec members(atom()) -> [{node(), nook_capacity:figures() | unknown}].
members(Group) ->
    ok = nook_app:ensure_started(),
    [{Node, figures(Node)} || Node <- ranked(Group)].

call(Request) ->
    ok = nook_app:ensure_started(),
    gen_server:call(?MODULE, Request, infinity).

%% @doc Send this node's figures to every node's table (nook_capacity does, once a second).
-spec publish(nook_capacity:figures()) -> ok.
publish(Figures) ->
    _ = [Table ! {capacity, node(), Figures} || Table <- pg:get_members(?SCOPE, ?TABLES)],
    ok.

%% @doc nook's pg scope, for nook_cluster_sup to start.
-spec scope() -> atom().
scope() -> ?SCOPE.

%% ---- placement: reads the table, asks no one ----

ranked(Group) ->
    Nodes = lists:usort([node(Pid) || Pid <- pg:get_members(?SCOPE, Group)]),
    Now = erlang:monotonic_time(millisecond),
    [Node || {_, Node} <- lists:reverse(lists:sort([{room(Node, Now), Node} || Node <- Nodes]))].

%% A key that sorts the node with the most room last: {Class, Free, Ready, -Running,
%% -Load, MemFree}, Class 2 for room, 1 for unknown, 0 for full or refused.
room(Node, Now) ->
    case ets:lookup(?TABLE, Node) of
        [{Node, Running, Figures, Refused, At}] when Now - At =< ?STALE_MS ->
            Free = case maps:get(max_containers, Figures, infinity) of
                       infinity -> infinity;
                       Max -> Max - Running
                   end,
            Class = case Refused orelse (is_integer(Free) andalso Free =< 0) of
                        true -> 0;
                        false -> 2
                    end,
            {Class, Free, maps:get(ready, Figures, 0), -Running, -maps:get(load, Figures, 0.0),
             maps:get(mem_free, Figures, 0)};
        _ ->
            {1, 0, 0, 0, 0, 0}
    end.

figures(Node) ->
    case ets:lookup(?TABLE, Node) of
        [{Node, Running, Figures, _, _}] -> Figures#{running := Running};
        [] -> unknown
    end.

%% Until its next figures come, the node counts the start placed there, or its refusal.
placed(Node) ->
    _ = (catch ets:update_counter(?TABLE, Node, {?RUNNING, 1})), % no row: nothing to count
    ok.

refused_by(Node) ->
    _ = ets:update_element(?TABLE, Node, {?REFUSED, true}),
    ok.

%% ---- the table server ----

%% @doc Start the table server, registered as nook_cluster (nook_cluster_sup does).
-spec start_link() -> {ok, pid()} | {error, term()}.
start_link() -> gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

%% @private
-spec init([]) -> {ok, #{}}.
init([]) ->
    ?TABLE = ets:new(?TABLE, [named_table, public, set, {read_concurrency, true}]),
    ok = net_kernel:monitor_nodes(true),
    ok = pg:join(?SCOPE, ?TABLES, self()),
    _ = [join_group(G) || G <- application:get_env(nook, groups, [nook]), is_atom(G)],
    {ok, #{}}.

%% @private
-spec handle_call(term(), gen_server:from(), map()) -> {reply, term(), map()}.
handle_call({join, Group}, _From, St) ->
    {reply, join_group(Group), St};
handle_call({leave, Group}, _From, St) ->
    _ = [pg:leave(?SCOPE, Group, self()) || member(Group)],
    {reply, ok, St};
handle_call(groups, _From, St) ->
    {reply, [G || G <- pg:which_groups(?SCOPE), G =/= ?TABLES, member(G)], St};
handle_call(_Other, _From, St) ->
    {reply, {error, badarg}, St}.

join_group(Group) ->
    ok = case member(Group) of
             true -> ok;
             false -> pg:join(?SCOPE, Group, self())
         end,
    %% The figures go out at once: placement over the group knows the node now, and what it
    %% thought of it before (a refusal) is forgotten.
    _ = [nook_capacity:publish_now() || whereis(nook_capacity) =/= undefined], % not in init
    ok.

member(Group) -> lists:member(self(), pg:get_local_members(?SCOPE, Group)).

%% @private
-spec handle_cast(term(), map()) -> {noreply, map()}.
handle_cast(_Msg, St) ->
    {noreply, St}.

%% @private
-spec handle_info(term(), map()) -> {noreply, map()}.
handle_info({capacity, Node, #{running := Running} = Figures}, St) when is_atom(Node) ->
    true = ets:insert(?TABLE, {Node, Running, Figures, false, erlang:monotonic_time(millisecond)}),
    {noreply, St};
handle_info({nodedown, Node}, St) ->
    true = ets:delete(?TABLE, Node),
    {noreply, St};
handle_info(_Other, St) ->
    {noreply, St}.
