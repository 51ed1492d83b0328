%% SPDX-License-Identifier: ISC
%% @doc The application's top supervisor. It owns the table of live tasks (nook_registry)
%% and supervises nook_cgroup_keeper, nook_pool_sup (pools of ready trees), the cluster's
%% processes (nook_cluster_sup) and nook_stream_sup, the supervisor of the streams
%% nook_stream:open/3 starts (stopped first, so that their trees are gone before the keeper).
-module(nook_sup).
-behaviour(supervisor).

-export([start_link/0, init/1]).

%% @doc Start the supervisor, registered as nook_sup (nook_app does).
-spec start_link() -> {ok, pid()} | {error, term()}.
start_link() -> supervisor:start_link({local, ?MODULE}, ?MODULE, []).

%% @private
-spec init([]) -> {ok, {supervisor:sup_flags(), [supervisor:child_spec()]}}.
init([]) ->
    ok = nook_registry:new(),
    Keeper = #{id => nook_cgroup_keeper, start => {nook_cgroup_keeper, start_link, []}},
    Pools = #{id => nook_pool_sup, start => {nook_pool_sup, start_link, []}, type => supervisor},
    Cluster = #{id => nook_cluster_sup, start => {nook_cluster_sup, start_link, []},
                type => supervisor},
    Streams = #{id => nook_stream_sup, start => {nook_stream_sup, start_link, []},
                type => supervisor, shutdown => infinity},
    {ok, {#{strategy => one_for_one, intensity => 10, period => 10},
          [Keeper, Pools, Cluster, Streams]}}.
