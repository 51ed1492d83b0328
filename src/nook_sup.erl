%% SPDX-License-Identifier: ISC
%% @doc The application's top supervisor. It owns the table of live tasks (nook_registry);
%% below it are the cgroup keeper and the cluster's processes (nook_cluster_sup).
-module(nook_sup).
-behaviour(supervisor).

-export([start_link/0, init/1]).

-spec start_link() -> {ok, pid()} | {error, term()}.
start_link() -> supervisor:start_link({local, ?MODULE}, ?MODULE, []).

-spec init([]) -> {ok, {supervisor:sup_flags(), [supervisor:child_spec()]}}.
init([]) ->
    ok = nook_registry:new(),
    Keeper = #{id => nook_cgroup_keeper, start => {nook_cgroup_keeper, start_link, []}},
    Cluster = #{id => nook_cluster_sup, start => {nook_cluster_sup, start_link, []},
                type => supervisor},
    {ok, {#{strategy => one_for_one, intensity => 10, period => 10}, [Keeper, Cluster]}}.
