-- 0007 catalogue (SQL Server). Same numbers and meaning as migrations/sqlite/0007_catalogue.sql.
ALTER TABLE behaviour_rules ADD system_key NVARCHAR(50) NULL;
ALTER TABLE badges ADD phrases_zh NVARCHAR(MAX) NULL, phrases_en NVARCHAR(MAX) NULL;
ALTER TABLE achievement_rules ADD active INT NOT NULL CONSTRAINT df_achievement_rules_active DEFAULT 1;
ALTER TABLE behaviour_rules ADD kiosk INT NOT NULL CONSTRAINT df_behaviour_rules_kiosk DEFAULT 0;
ALTER TABLE core_values ADD sort_order INT NOT NULL CONSTRAINT df_core_values_sort_order DEFAULT 0;
GO
UPDATE behaviour_rules SET system_key = code WHERE code IN ('hazard_report', 'near_miss', 'customer_praise', 'suggestion', 'suggestion_adopted');
UPDATE behaviour_rules SET kiosk = 1 WHERE system_key IN ('hazard_report', 'near_miss');
UPDATE core_values SET sort_order = id;
CREATE UNIQUE INDEX ux_behaviour_rules_system_key ON behaviour_rules (system_key) WHERE system_key IS NOT NULL;
UPDATE badges SET phrases_zh = N'你主动来我们班组帮忙，让我们按时完成了今天的任务。' + NCHAR(10) + N'你把交接信息写得清清楚楚，换班时一点没耽误。', phrases_en = N'You came over to help our team and we finished today''s work on time.' + NCHAR(10) + N'Your clear handover notes meant no time was lost at shift change.' WHERE code = 'cross_team_star';
UPDATE badges SET phrases_zh = N'你发现了客户订单里的问题并及时纠正，避免了退货。' + NCHAR(10) + N'你耐心回答客户的问题，客户特意表示感谢。', phrases_en = N'You caught a problem in the customer''s order and fixed it in time, avoiding a return.' + NCHAR(10) + N'You patiently answered the customer''s questions and they thanked us for it.' WHERE code = 'customer_guardian';
UPDATE badges SET phrases_zh = N'你发现了安全隐患并立刻停机报告，保护了大家。' + NCHAR(10) + N'你提醒我戴好防护用品，谢谢你的关心。', phrases_en = N'You spotted a hazard, stopped the machine and reported it, keeping us all safe.' + NCHAR(10) + N'You reminded me to wear my protective gear. Thank you for looking out for me.' WHERE code = 'safety_star';
UPDATE badges SET phrases_zh = N'你耐心教我操作新设备，我现在可以独立上岗了。' + NCHAR(10) + N'你把经验毫无保留地分享给新同事，大家进步很快。', phrases_en = N'You patiently taught me the new machine and now I can work the station on my own.' + NCHAR(10) + N'You shared your experience freely with the new colleagues and they are learning fast.' WHERE code = 'mentor';
UPDATE badges SET phrases_zh = N'你的改善点子让我们的工作更省力、更快了。' + NCHAR(10) + N'你想出的办法解决了困扰我们很久的问题。', phrases_en = N'Your improvement idea made our work easier and faster.' + NCHAR(10) + N'Your idea solved a problem that had bothered us for a long time.' WHERE code = 'bright_idea';
UPDATE badges SET phrases_zh = N'你这个月在关键任务上的付出大家都看在眼里，谢谢你。', phrases_en = N'Everyone saw your effort on this month''s key task. Thank you.' WHERE code = 'outstanding';
