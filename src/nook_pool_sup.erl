%% SPDX-License-Identifier: ISC
%% @doc The pools of ready trees (nook_pool), one per configuration, made as they are needed.
%% It owns their table and the node's count of ready trees.
-module(nook_pool_sup).
-behaviour(supervisor).

-export([start_link/0, init/1]).

-spec start_link() -> {ok, pid()} | {error, term()}.
start_link() -> supervisor:start_link({local, ?MODULE}, ?MODULE, []).

-spec init([]) -> {ok, {supervisor:sup_flags(), [supervisor:child_spec()]}}.
init([]) ->
    ok = nook_pool:new_tables(),
    Pool = #{id => nook_pool, start => {nook_pool, start_link, []}, restart => temporary,
             shutdown => 30000},
    {ok, {#{strategy => simple_one_for_one, intensity => 10, period => 10}, [Pool]}}.
