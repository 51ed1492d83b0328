%% SPDX-License-Identifier: ISC
%% @doc How much more this node can take: the streams running here, the bound on them, and
%% the figures this node publishes to the nodes of its cluster about once a second.
%%
%% Every stream claims a place here before it builds anything (nook_stream does it) and
%% holds it until its process ends, whatever ends it: a node at its bound refuses the start
%% with `{error, {max_containers, Max}}'. The bound is the application setting
%% `max_containers' (infinity), read at each claim, so that a change counts at once.
%%
%% Figures, a map: `running' (streams open here, of any behaviour), `max_containers',
%% `ready' (containers prepared ahead of time and waiting for an owner), `load' (the load
%% average over a minute, per CPU), `mem_free' (MemAvailable, in bytes) and `cpus'.
-module(nook_capacity).
-behaviour(gen_server).

-export([start_link/0, claim/0, figures/0, publish_now/0]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2]).

-export_type([figures/0]).

-type figures() :: #{running := non_neg_integer(), max_containers := non_neg_integer() | infinity,
                     ready := non_neg_integer(), load := float(), mem_free := non_neg_integer(),
                     cpus := pos_integer()}.

%% How often the figures go out: placement reads them from a table on the caller's node,
%% so they are as old as this at most (plus the trip).
-define(PUBLISH_MS, 1000).

%% Claims: the monitor of each stream holding a place.
-record(st, {running = #{} :: #{reference() => pid()}}).

%% @doc Start the server, registered as nook_capacity (nook_cluster_sup does).
-spec start_link() -> {ok, pid()} | {error, term()}.
start_link() -> gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

%% @doc Claim a place on this node for the calling process (a stream), held until it
%% ends; `{error, {max_containers, Max}}' when the node is at its bound. The application
%% is started first if it is not running.
-spec claim() -> ok | {error, term()}.
claim() ->
    case {nook_app:ensure_started(), max_containers()} of
        %% Unbounded, nothing can refuse the place: it is taken without waiting for an
        %% answer, which would cost every start a round trip.
        {ok, infinity} -> gen_server:cast(?MODULE, {claim, self()});
        {ok, _} -> gen_server:call(?MODULE, {claim, self()}, infinity);
        {{error, _} = Error, _} -> Error
    end.

%% @doc This node's figures as they are now.
-spec figures() -> figures().
figures() -> gen_server:call(?MODULE, figures, infinity).

%% @doc Publish this node's figures now, besides once a second (nook_cluster does when the
%% node joins a group, so that placement there knows it at once).
-spec publish_now() -> ok.
publish_now() -> gen_server:cast(?MODULE, publish).

%% @private
-spec init([]) -> {ok, #st{}}.
init([]) ->
    self() ! publish,
    {ok, #st{running = running_streams()}}.

%% The streams running when this server starts: none at the node's start; after a restart
%% (pg's, say), those that claimed places before it, which must still count.
running_streams() ->
    case whereis(nook_stream_sup) of
        undefined ->
            #{};
        _ ->
            maps:from_list([{monitor(process, Pid), Pid}
                            || {_, Pid, _, _} <- supervisor:which_children(nook_stream_sup),
                               is_pid(Pid)])
    end.

%% @private
-spec handle_call(term(), gen_server:from(), #st{}) -> {reply, term(), #st{}}.
handle_call({claim, Pid}, _From, #st{running = Running} = St) ->
    case max_containers() of
        Max when is_integer(Max), map_size(Running) >= Max ->
            {reply, {error, {max_containers, Max}}, St};
        _ ->
            {reply, ok, St#st{running = Running#{monitor(process, Pid) => Pid}}}
    end;
handle_call(figures, _From, St) ->
    {reply, figures(St), St};
handle_call(_Other, _From, St) ->
    {reply, {error, badarg}, St}.

%% @private
-spec handle_cast(term(), #st{}) -> {noreply, #st{}}.
handle_cast({claim, Pid}, #st{running = Running} = St) ->
    {noreply, St#st{running = Running#{monitor(process, Pid) => Pid}}};
handle_cast(publish, St) ->
    nook_cluster:publish(figures(St)),
    {noreply, St};
handle_cast(_Msg, St) ->
    {noreply, St}.

%% @private
-spec handle_info(term(), #st{}) -> {noreply, #st{}}.
handle_info({'DOWN', Ref, process, _, _}, #st{running = Running} = St) ->
    {noreply, St#st{running = maps:remove(Ref, Running)}};
handle_info(publish, St) ->
    nook_cluster:publish(figures(St)),
    erlang:send_after(?PUBLISH_MS, self(), publish),
    {noreply, St};
handle_info(_Other, St) ->
    {noreply, St}.

figures(#st{running = Running}) ->
    Cpus = cpus(),
    #{running => map_size(Running), max_containers => max_containers(), ready => ready(),
      load => load() / Cpus, mem_free => mem_free(), cpus => Cpus}.

max_containers() ->
    case application:get_env(nook, max_containers, infinity) of
        Max when is_integer(Max), Max >= 0 -> Max;
        _ -> infinity
    end.

%% Containers prepared ahead of time and waiting here (nook_pool), in all pools.
ready() -> nook_pool:ready().

cpus() ->
    case erlang:system_info(logical_processors_available) of
        N when is_integer(N), N > 0 -> N;
        _ -> 1
    end.

%% /proc/loadavg: "0.52 0.58 0.59 1/467 12345".
load() ->
    case file:read_file("/proc/loadavg") of
        {ok, Text} ->
            [One | _] = string:lexemes(Text, " "),
            try binary_to_float(One) catch error:badarg -> 0.0 end;
        {error, _} ->
            0.0
    end.

%% /proc/meminfo: "MemAvailable:   24005440 kB".
mem_free() ->
    case file:read_file("/proc/meminfo") of
        {ok, Text} ->
            case [V || Line <- string:lexemes(Text, "\n"),
                       [<<"MemAvailable:">>, V | _] <- [string:lexemes(Line, " ")]] of
                [KiB | _] -> binary_to_integer(KiB) * 1024;
                [] -> 0
            end;
        {error, _} ->
            0
    end.
